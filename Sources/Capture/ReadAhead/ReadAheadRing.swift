// The memory a read-ahead thread fills and the consumer drains: a fixed ring of blocks of packed
// packet records, handed over whole under two counting semaphores.

import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One block of the ring: packed records, each a `RecordLayout` header then the captured bytes,
/// padded to 8 bytes. Written only by the producer between taking it from the free count and
/// posting it as filled; read only by the consumer after that.
struct ReadAheadBlock {
    var base: UnsafeMutableRawPointer
    var capacity: Int
    /// Bytes of records in the block.
    var used = 0
    /// The file ended after the block's records (the last block of the file; may be empty).
    var isLast = false
}

/// The header of one packed record.
enum RecordLayout {
    static let timestampOffset = 0      // Int64: nanoseconds since the epoch
    static let numberOffset = 8         // Int64: 1-based frame number in the file
    static let capturedOffset = 16      // UInt32: bytes captured (caplen)
    static let originalOffset = 20      // UInt32: length on the wire (len)
    static let headerSize = 24

    /// Bytes one record of `captured` bytes takes, header and padding included.
    @inline(__always)
    static func size(captured: Int) -> Int { (headerSize &+ captured &+ 7) & ~7 }
}

/// The state a read-ahead thread shares with its consumer. Ownership is handed over by the
/// semaphores: a block belongs to the producer from `free` to `filled`, then to the consumer
/// until it posts `free` again. The `file` belongs to the producer thread until it has posted the
/// block that ends the file.
final class ReadAheadRing: @unchecked Sendable {
    let file: CaptureFile
    let blocks: UnsafeMutablePointer<ReadAheadBlock>
    let blockCount: Int
    /// Blocks the producer may fill.
    let free: UnsafeMutablePointer<sem_t>
    /// Blocks ready for the consumer.
    let filled: UnsafeMutablePointer<sem_t>
    /// Set by the consumer when it stops early; the producer checks it after each wait.
    let stopRequested = Atomic<Bool>(false)
    /// Blocks grow past their size only for a record bigger than a whole block; never past this.
    static let largestRecord = 64 << 20

    /// Allocates `blockCount` blocks of `blockSize` bytes; nil when memory is short.
    init?(file: CaptureFile, blockCount: Int, blockSize: Int) {
        let count = max(2, blockCount)
        let size = max(RecordLayout.size(captured: 65_535), blockSize)
        self.file = file
        self.blockCount = count
        blocks = .allocate(capacity: count)
        free = .allocate(capacity: 1)
        filled = .allocate(capacity: 1)
        sem_init(free, 0, UInt32(count))
        sem_init(filled, 0, 0)
        var made = 0
        while made < count, let base = malloc(size) {
            (blocks + made).initialize(to: ReadAheadBlock(base: base, capacity: size))
            made += 1
        }
        if made < count {
            for index in 0..<made { Glibc.free(blocks[index].base) }
            blocks.deallocate()
            sem_destroy(free); sem_destroy(filled)
            free.deallocate(); filled.deallocate()
            return nil
        }
    }

    deinit {
        for index in 0..<blockCount { Glibc.free(blocks[index].base) }
        blocks.deinitialize(count: blockCount)
        blocks.deallocate()
        sem_destroy(free); sem_destroy(filled)
        free.deallocate(); filled.deallocate()
    }

    /// `sem_wait`, resumed after a signal interrupts it.
    @inline(__always)
    static func wait(_ semaphore: UnsafeMutablePointer<sem_t>) {
        while sem_wait(semaphore) != 0 && errno == EINTR {}
    }

    /// Tries `sem_trywait` (an atomic load, no system call) up to `spins` times before sleeping in
    /// `sem_wait`. When the other side posts within that while, neither side pays a futex sleep
    /// and wake-up; on a VM a wake-up is an inter-processor interrupt, about 20 µs, which per block
    /// cost more than the reading itself. The spin is short (tens of µs), so a waiting side gives
    /// its CPU back soon when the other is slow.
    @inline(__always)
    static func waitSpinningFirst(_ semaphore: UnsafeMutablePointer<sem_t>) {
        var tries = 0
        while tries < spinLimit {
            if sem_trywait(semaphore) == 0 { return }
            tries &+= 1
        }
        wait(semaphore)
    }

    /// About 20–40 µs of `sem_trywait` on this machine: a block of 1 MiB takes ~0.4 ms to fill.
    static let spinLimit = 4_000

    // MARK: - Producing (the read-ahead thread)

    /// Copies `record` to the end of `block`. False when it does not fit; a record bigger than an
    /// empty block grows the block (up to `largestRecord`, beyond which the copy is cut and the
    /// record reads as cut by the snaplen).
    static func append(_ record: PacketRecord, to block: inout ReadAheadBlock) -> Bool {
        var captured = record.bytes.count
        var needed = RecordLayout.size(captured: captured)
        if needed > block.capacity &- block.used {
            guard block.used == 0 else { return false }
            captured = min(captured, largestRecord)
            needed = RecordLayout.size(captured: captured)
            if needed > block.capacity, let grown = realloc(block.base, needed) {
                block.base = grown
                block.capacity = needed
            }
            captured = min(captured, block.capacity &- RecordLayout.headerSize)
        }
        let at = block.base + block.used
        at.storeBytes(of: record.timestamp.nanoseconds, toByteOffset: RecordLayout.timestampOffset, as: Int64.self)
        at.storeBytes(of: record.ref.number, toByteOffset: RecordLayout.numberOffset, as: Int64.self)
        at.storeBytes(of: UInt32(truncatingIfNeeded: captured), toByteOffset: RecordLayout.capturedOffset, as: UInt32.self)
        at.storeBytes(of: UInt32(clamping: record.originalLength), toByteOffset: RecordLayout.originalOffset, as: UInt32.self)
        if captured > 0, let source = record.bytes.baseAddress {
            (at + RecordLayout.headerSize).copyMemory(from: source, byteCount: captured)
        }
        block.used = block.used &+ RecordLayout.size(captured: captured)
        return true
    }

    /// The thread's loop: fill a free block from the file, post it, repeat until the file ends or
    /// the consumer asks to stop. The first block may already hold a record copied before the
    /// thread started (the packet the consumer had read directly); it is filled on from there.
    func produce() {
        var index = 0
        var carried: PacketRecord?
        var firstBlock = true
        while true {
            Self.waitSpinningFirst(free)
            if stopRequested.load(ordering: .acquiring) { return }
            var block = blocks[index]
            if !firstBlock {
                block.used = 0
                block.isLast = false
            }
            firstBlock = false
            if let record = carried {
                _ = Self.append(record, to: &block)
                carried = nil
            }
            while true {
                guard let record = file.next() else {
                    block.isLast = true
                    break
                }
                if !Self.append(record, to: &block) {
                    carried = record  // valid in libpcap's buffer until the next `file.next()`
                    break
                }
            }
            blocks[index] = block
            sem_post(filled)
            if block.isLast { return }
            index = index &+ 1 == blockCount ? 0 : index &+ 1
        }
    }
}
