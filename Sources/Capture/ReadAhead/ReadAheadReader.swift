// A capture file read on its own thread, ahead of the analysis that consumes it.

#if canImport(Glibc)
import Glibc
#endif

/// Reads one `CaptureFile` on a background thread into a small ring of blocks (packets copied
/// once out of libpcap's buffer), so that reading — `fread`, gzip inflation, libpcap's record
/// parsing — overlaps decoding and flow tracking on the consumer's thread.
///
/// Memory is fixed: `blockCount × blockSize` bytes per file. The consumer borrows one block at a
/// time; a record it was given stays valid until its next call, as with `CaptureFile.next()`.
/// While the reader lives, only its thread touches the file; the file's `info` is final and safe
/// to read once `next()` has returned nil.
final class ReadAheadReader {
    private let ring: ReadAheadRing
    // The consumer's position: private, used only from `next()` on the consumer's thread, so
    // `@exclusivity(unchecked)` spares a runtime check per packet.
    private var thread = pthread_t()
    private let fileIndex: Int32
    private let linkType: LinkType
    /// The block the consumer holds, or -1 before the first.
    @exclusivity(unchecked) private var current = -1
    @exclusivity(unchecked) private var offset = 0
    /// Records to skip at the start of the first block: the packet copied there before the thread
    /// started had already been handed to the consumer.
    private var skipFirst: Int
    /// A copy of the held block's description (empty before the first).
    @exclusivity(unchecked) private var block: ReadAheadBlock
    @exclusivity(unchecked) private var ended = false
    /// False when `pthread_create` failed: there is nothing to stop or join.
    private var threadStarted = true

    /// Starts reading `file` on a new thread. `alreadyRead`, the file's packet the consumer still
    /// holds (read directly, in libpcap's buffer), is copied into the ring first and returned as
    /// `copied`, pointing into the ring: the consumer must use that copy from now on, since the
    /// thread reuses libpcap's buffer. Nil when memory or a thread cannot be had (read directly then).
    static func start(file: CaptureFile, alreadyRead: PacketRecord?, blockCount: Int, blockSize: Int)
        -> (reader: ReadAheadReader, copied: PacketRecord?)? {
        guard let ring = ReadAheadRing(file: file, blockCount: blockCount, blockSize: blockSize) else { return nil }
        var copied: PacketRecord?
        if let record = alreadyRead {
            var first = ring.blocks[0]
            guard ReadAheadRing.append(record, to: &first) else { return nil }
            ring.blocks[0] = first
            copied = record
            copied?.bytes = UnsafeRawBufferPointer(start: first.base + RecordLayout.headerSize,
                                                  count: Int(first.base.load(fromByteOffset: RecordLayout.capturedOffset, as: UInt32.self)))
        }
        let reader = ReadAheadReader(ring: ring, skipFirst: alreadyRead == nil ? 0 : 1)
        let context = Unmanaged.passRetained(ring).toOpaque()
        let status = pthread_create(&reader.thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<ReadAheadRing>.fromOpaque(raw).takeRetainedValue().produce()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ReadAheadRing>.fromOpaque(context).release()
            reader.threadStarted = false
            return nil
        }
        return (reader, copied)
    }

    private init(ring: ReadAheadRing, skipFirst: Int) {
        self.ring = ring
        self.block = ReadAheadBlock(base: ring.blocks[0].base, capacity: 0)
        self.fileIndex = ring.file.fileIndex
        self.linkType = ring.file.linkType
        self.skipFirst = skipFirst
    }

    /// Stops the thread if it is still reading (the consumer gave up early) and waits for it.
    deinit {
        guard threadStarted else { return }
        ring.stopRequested.store(true, ordering: .releasing)
        sem_post(ring.free)
        pthread_join(thread, nil)
    }

    /// The file's next packet, or nil at its end (see the file's `info.warnings` for why it ended).
    @inline(__always)
    func next() -> PacketRecord? {
        while offset >= block.used {
            guard !ended, takeNextBlock() else { return nil }
        }
        let at = UnsafeRawPointer(block.base + offset)
        let captured = Int(at.load(fromByteOffset: RecordLayout.capturedOffset, as: UInt32.self))
        offset = offset &+ RecordLayout.size(captured: captured)
        return PacketRecord(
            timestamp: Timestamp(nanoseconds: at.load(fromByteOffset: RecordLayout.timestampOffset, as: Int64.self)),
            ref: PacketRef(fileIndex: fileIndex, number: at.load(fromByteOffset: RecordLayout.numberOffset, as: Int64.self)),
            linkType: linkType,
            bytes: UnsafeRawBufferPointer(start: at + RecordLayout.headerSize, count: captured),
            originalLength: Int(at.load(fromByteOffset: RecordLayout.originalOffset, as: UInt32.self)))
    }

    /// Gives back the block just read (its records are no longer borrowed) and waits for the next.
    /// False at the end of the file.
    private func takeNextBlock() -> Bool {
        if current >= 0 {
            if block.isLast {
                ended = true
                return false
            }
            sem_post(ring.free)
        }
        ReadAheadRing.waitSpinningFirst(ring.filled)
        current = current &+ 1 == ring.blockCount ? 0 : current &+ 1
        block = ring.blocks[current]
        offset = 0
        while skipFirst > 0, offset < block.used {
            let captured = Int(block.base.load(fromByteOffset: offset &+ RecordLayout.capturedOffset, as: UInt32.self))
            offset = offset &+ RecordLayout.size(captured: captured)
            skipFirst -= 1
        }
        if block.used == 0, block.isLast {
            ended = true
            return false
        }
        return true
    }
}
