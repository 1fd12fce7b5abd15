// Several capture files read as one capture, merged in time order.

/// Capture files analysed as one set: a k-way merge that holds one pending packet per file and
/// always yields the earliest (ties: lower file index first, so each file's order is kept).
///
/// Each pending packet stays in libpcap's buffer (valid until that handle's next `pcap_next_ex`),
/// so nothing is copied: the file whose packet was yielded is advanced only on the following call.
/// A min-heap of file indices keeps the cost per packet O(log files).
///
/// With `readAheadThreads` > 0, up to that many files are read ahead at once, each on a thread of
/// its own (`ReadAheadReader`): the files whose pending packets come first, and, as one ends, the
/// next. The packets and their order are the same either way; only the work moves to other cores.
public final class CaptureSet: PacketSource {
    // The mutable state below is private and used only from `next()` on the caller's thread, so no
    // access can overlap another: `@exclusivity(unchecked)` spares a runtime check per packet.
    /// The files, indexed by `PacketRef.fileIndex`.
    public let files: [CaptureFile]

    /// The pending packet of each file (nil once the file is exhausted or before priming).
    @exclusivity(unchecked) private var pending: [PacketRecord?]
    /// Indices of files with a pending packet, as a binary min-heap by (timestamp, file index).
    @exclusivity(unchecked) private var heap: [Int]
    /// The file whose packet was yielded last: advanced at the start of the next call.
    @exclusivity(unchecked) private var yielded: Int?
    @exclusivity(unchecked) private var primed = false
    /// The file of a one-file set: read directly, with no merge bookkeeping per packet.
    private let onlyFile: CaptureFile?
    /// Files read ahead on threads of their own at once, at most.
    public let readAheadThreads: Int
    /// The reader of each file that has one (a file gets one at most once, and keeps it to its end).
    @exclusivity(unchecked) private var readers: [ReadAheadReader?]
    @exclusivity(unchecked) private var activeReaders = 0
    /// The reader of a one-file set.
    @exclusivity(unchecked) private var onlyReader: ReadAheadReader?
    /// Set when a reader could not be started (no memory or thread): the rest is read directly.
    @exclusivity(unchecked) private var readAheadUnavailable = false
    /// Blocks per reader and their size: 4 × 1 MiB, so at most 4 MiB of packets per file ahead.
    /// (8 × 256 KiB read as fast but hand over four times as often.)
    static let defaultBlockCount = 4
    static let defaultBlockSize = 1 << 20
    private let blockCount: Int
    private let blockSize: Int

    // MARK: - Opening

    /// Opens every path, in order, as file index 0, 1, ... Fails on the first file that cannot be
    /// opened (the CLI exits with status 2); files opened before it are closed.
    /// `readAheadThreads`: files read ahead on threads of their own at once (0: none).
    public static func open(paths: [String], readAheadThreads: Int = 0) throws(CaptureError) -> CaptureSet {
        var files: [CaptureFile] = []
        files.reserveCapacity(paths.count)
        for (index, path) in paths.enumerated() {
            files.append(try CaptureFile(path: path, fileIndex: Int32(truncatingIfNeeded: index)))
        }
        return CaptureSet(files: files, readAheadThreads: readAheadThreads)
    }

    /// A set of files opened by the caller (for callers that skip unreadable files). Each file's own
    /// `fileIndex` is used in `PacketRef`. `readAheadThreads`: as for `open(paths:readAheadThreads:)`.
    public convenience init(files: [CaptureFile], readAheadThreads: Int = 0) {
        self.init(files: files, readAheadThreads: readAheadThreads, blockCount: Self.defaultBlockCount,
                  blockSize: Self.defaultBlockSize)
    }

    /// With the read-ahead rings' block count and size chosen (tests use small blocks).
    init(files: [CaptureFile], readAheadThreads: Int, blockCount: Int, blockSize: Int) {
        self.blockCount = blockCount
        self.blockSize = blockSize
        self.onlyFile = files.count == 1 ? files.first : nil
        self.files = files
        self.readAheadThreads = max(0, readAheadThreads)
        self.readers = Array(repeating: nil, count: files.count)
        self.pending = Array(repeating: nil, count: files.count)
        self.heap = []
        self.heap.reserveCapacity(files.count)
    }

    /// The per-file facts, in file order. Final, and safe to read, once `next()` has returned nil
    /// (until then a read-ahead thread may still be counting).
    public var infos: [CaptureFileInfo] { files.map(\.info) }

    // MARK: - Merging

    /// The earliest pending packet of all files, or nil when every file is exhausted. Its bytes are
    /// valid until the next call.
    public func next() -> PacketRecord? {
        if let onlyReader { return onlyReader.next() }
        if let onlyFile { return nextOfOnlyFile(onlyFile) }
        if !primed {
            primed = true
            for index in files.indices {
                pending[index] = files[index].next()
                if pending[index] != nil { push(index) }
            }
            startReadersAhead()
        } else if let last = yielded {
            // The packet yielded last is no longer borrowed: advance its file.
            yielded = nil
            if let record = advance(last) {
                pending[last] = record
                siftDown(from: 0)  // `last` is still at the top of the heap
            } else {
                pending[last] = nil
                popTop()
                if readers[last] != nil {
                    readers[last] = nil  // its thread has ended; joined here
                    activeReaders -= 1
                    startReadersAhead()
                }
            }
        }
        guard let top = heap.first, let record = pending[top] else { return nil }
        yielded = top
        return record
    }

    /// `.packet` or `.end`; never `.idle`.
    public func nextEvent() -> CaptureEvent {
        if let record = next() { return .packet(record) }
        return .end
    }

    // MARK: - Reading ahead

    /// The next packet of file `index`, from its reader if it has one.
    @inline(__always)
    private func advance(_ index: Int) -> PacketRecord? {
        if let reader = readers[index] { return reader.next() }
        return files[index].next()
    }

    /// A one-file set: its reader starts with the first call, before anything was read directly.
    private func nextOfOnlyFile(_ file: CaptureFile) -> PacketRecord? {
        if !primed {
            primed = true
            if readAheadThreads > 0,
               let started = ReadAheadReader.start(file: file, alreadyRead: nil, blockCount: blockCount,
                                                   blockSize: blockSize) {
                onlyReader = started.reader
                return started.reader.next()
            }
        }
        return file.next()
    }

    /// Gives readers to the files whose pending packets come first, while threads are free. Each
    /// file's pending packet (read directly, in libpcap's buffer) moves into its reader's ring.
    /// Runs after priming and whenever a reader ends: O(files) each time.
    private func startReadersAhead() {
        while activeReaders < readAheadThreads, !readAheadUnavailable {
            var earliest: Int?
            for index in heap where readers[index] == nil {
                if let best = earliest, !precedes(index, best) { continue }
                earliest = index
            }
            guard let chosen = earliest else { return }
            guard let started = ReadAheadReader.start(file: files[chosen], alreadyRead: pending[chosen],
                                                      blockCount: blockCount,
                                                      blockSize: blockSize) else {
                readAheadUnavailable = true
                return
            }
            readers[chosen] = started.reader
            activeReaders += 1
            if let copied = started.copied { pending[chosen] = copied }  // same time: the heap stays valid
        }
    }

    // MARK: - Heap of file indices

    /// True when file `a`'s pending packet comes before file `b`'s.
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        guard let left = pending[a]?.timestamp, let right = pending[b]?.timestamp else { return false }
        return left == right ? a < b : left < right
    }

    private func push(_ index: Int) {
        heap.append(index)
        var child = heap.count &- 1
        while child > 0 {
            let parent = (child &- 1) / 2
            guard precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popTop() {
        guard let lastIndex = heap.popLast() else { return }
        if !heap.isEmpty {
            heap[0] = lastIndex
            siftDown(from: 0)
        }
    }

    private func siftDown(from start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 &* parent &+ 1
            guard left < count else { return }
            let right = left &+ 1
            var best = left
            if right < count && precedes(heap[right], heap[left]) { best = right }
            guard precedes(heap[best], heap[parent]) else { return }
            heap.swapAt(best, parent)
            parent = best
        }
    }
}
