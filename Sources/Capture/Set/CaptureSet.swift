// Several capture files read as one capture, merged in time order.

/// Capture files analysed as one set: a k-way merge that holds one pending packet per file and
/// always yields the earliest (ties: lower file index first, so each file's order is kept).
///
/// Each pending packet stays in libpcap's buffer (valid until that handle's next `pcap_next_ex`),
/// so nothing is copied: the file whose packet was yielded is advanced only on the following call.
/// A min-heap of file indices keeps the cost per packet O(log files).
public final class CaptureSet: PacketSource {
    /// The files, indexed by `PacketRef.fileIndex`.
    public let files: [CaptureFile]

    /// The pending packet of each file (nil once the file is exhausted or before priming).
    private var pending: [PacketRecord?]
    /// Indices of files with a pending packet, as a binary min-heap by (timestamp, file index).
    private var heap: [Int]
    /// The file whose packet was yielded last: advanced at the start of the next call.
    private var yielded: Int?
    private var primed = false
    /// The file of a one-file set: read directly, with no merge bookkeeping per packet.
    private let onlyFile: CaptureFile?

    // MARK: - Opening

    /// Opens every path, in order, as file index 0, 1, ... Fails on the first file that cannot be
    /// opened (the CLI exits with status 2); files opened before it are closed.
    public static func open(paths: [String]) throws(CaptureError) -> CaptureSet {
        var files: [CaptureFile] = []
        files.reserveCapacity(paths.count)
        for (index, path) in paths.enumerated() {
            files.append(try CaptureFile(path: path, fileIndex: Int32(truncatingIfNeeded: index)))
        }
        return CaptureSet(files: files)
    }

    /// A set of files opened by the caller (for callers that skip unreadable files). Each file's own
    /// `fileIndex` is used in `PacketRef`.
    public init(files: [CaptureFile]) {
        self.onlyFile = files.count == 1 ? files.first : nil
        self.files = files
        self.pending = Array(repeating: nil, count: files.count)
        self.heap = []
        self.heap.reserveCapacity(files.count)
    }

    /// The per-file facts, in file order (final once `next()` has returned nil).
    public var infos: [CaptureFileInfo] { files.map(\.info) }

    // MARK: - Merging

    /// The earliest pending packet of all files, or nil when every file is exhausted. Its bytes are
    /// valid until the next call.
    public func next() -> PacketRecord? {
        if let onlyFile { return onlyFile.next() }
        if !primed {
            primed = true
            for index in files.indices {
                pending[index] = files[index].next()
                if pending[index] != nil { push(index) }
            }
        } else if let last = yielded {
            // The packet yielded last is no longer borrowed: advance its file.
            yielded = nil
            if let record = files[last].next() {
                pending[last] = record
                siftDown(from: 0)  // `last` is still at the top of the heap
            } else {
                pending[last] = nil
                popTop()
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
