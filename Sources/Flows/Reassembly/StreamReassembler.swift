// Reassembly of one direction of a TCP stream into a bounded window (in order and out of order).
//
// Policy (documented for the report and the tests):
// - The window covers `capacity` bytes starting at `baseSequence` (the stream's first payload byte:
//   ISN + 1, or the first sequence number seen on a flow picked up mid-stream). Bytes before the
//   window are ignored; bytes past it are dropped and flagged with `overflowed`.
// - Segments that start 2^30 bytes or more from the window start are not of this stream (RFC 7323
//   §2.3: a TCP window never exceeds 2^30 bytes): a stray or forged segment is counted in
//   `outOfWindowSegments` and ignored; it neither overflows the window nor ends collection.
// - Overlaps and retransmissions: FIRST WINS. A byte, once stored, is never overwritten (Zeek keeps
//   the first copy and flags a "rexmit_inconsistency"; Suricata's default BSD/Linux policies also
//   favour the original for segments that start at or after it).
// - Segments ahead of the next expected byte are kept (gap tracking by a bitmap), so a gap that is
//   filled later completes the stream; a gap never filled leaves everything after it unusable.
// - Sequence numbers use serial arithmetic (RFC 1982): offsets are `Int32(bitPattern: seq &- base)`,
//   so a stream that crosses 2^32 continues seamlessly.
// - A consumer that only needs in-order bytes (the server side, DNS over TCP) drains the contiguous
//   prefix and calls `discardPrefix`, which slides the window forward.

/// What an `insert` did.
enum ReassemblyInsertOutcome: Equatable {
    /// Every byte was already present, before the window, or beyond it.
    case nothingNew
    /// New bytes were stored after a gap; the contiguous prefix did not grow.
    case heldAhead
    /// The contiguous prefix grew.
    case advanced
}

/// One direction's reassembly state. The window storage is taken from a pool lazily.
struct StreamReassembler {
    /// Stream sequence number of window offset 0.
    private(set) var baseSequence: UInt32
    /// Stream bytes discarded before window offset 0 (bytes since the stream's first byte).
    private(set) var discarded: Int64 = 0
    /// Window bytes `[0, contiguous)` are all present.
    private(set) var contiguous: Int = 0
    /// One past the furthest window byte stored.
    private(set) var furthest: Int = 0
    /// True once a byte arrived beyond the window's capacity.
    private(set) var overflowed: Bool = false
    /// Segments ignored for starting 2^30 or more bytes from the window start.
    private(set) var outOfWindowSegments: Int = 0
    /// Payload segments that brought no new byte (retransmissions, duplicates).
    private(set) var duplicateSegments: Int = 0
    /// True when the pool had no window to lend (its `maxInUse` was reached).
    private(set) var windowUnavailable: Bool = false
    private(set) var window: ReassemblyWindow?

    init(baseSequence: UInt32) {
        self.baseSequence = baseSequence
    }

    /// The largest TCP window (RFC 7323 §2.3: 2^30 bytes with the maximum window scale of 14).
    static var maximumWindowDistance: UInt { 1 << 30 }

    var capacity: Int { window?.capacity ?? 0 }

    /// Stores the bytes of one segment whose first payload byte has sequence number `sequence`.
    /// Takes a window from `pool` on first use.
    mutating func insert(sequence: UInt32, payload: UnsafeRawBufferPointer,
                         pool: inout ReassemblyWindowPool) -> ReassemblyInsertOutcome {
        guard payload.count > 0 else { return .nothingNew }
        guard var storage = window ?? pool.take() else {
            windowUnavailable = true
            return .nothingNew
        }
        window = nil
        defer { window = storage }
        let capacity = storage.capacity

        // Serial arithmetic: the signed distance from the window start (RFC 1982).
        let relative = Int(Int32(bitPattern: sequence &- baseSequence))
        guard relative.magnitude < Self.maximumWindowDistance else {
            outOfWindowSegments += 1
            return .nothingNew
        }
        var start = relative
        var end = relative + payload.count  // |relative| < 2^31 and count < 2^31: no overflow on 64-bit Int
        if end > capacity {
            overflowed = true
            end = capacity
        }
        if start < 0 { start = 0 }
        guard start < end else {
            if relative < capacity { duplicateSegments += 1 }
            return .nothingNew
        }
        let sourceOffset = start - relative  // >= 0: bytes of the payload before the window are skipped

        var firstNew = -1
        if start >= furthest {
            // Fast path: nothing stored at or after `start`; copy the whole range.
            storage.bytes.withUnsafeMutableBytes { destination in
                guard let to = destination.baseAddress, let from = payload.baseAddress else { return }
                // start < end <= capacity and sourceOffset + (end - start) <= payload.count
                (to + start).copyMemory(from: from + sourceOffset, byteCount: end - start)
            }
            storage.markPresent(start, end)
            firstNew = start
        } else {
            // Overlap with stored bytes: first wins, copy only absent bytes.
            var offset = start
            while offset < end {
                if !storage.isPresent(offset) {
                    var runEnd = offset + 1
                    while runEnd < end && !storage.isPresent(runEnd) { runEnd += 1 }
                    let runStart = offset
                    storage.bytes.withUnsafeMutableBytes { destination in
                        guard let to = destination.baseAddress, let from = payload.baseAddress else { return }
                        (to + runStart).copyMemory(from: from + sourceOffset + (runStart - start), byteCount: runEnd - runStart)
                    }
                    storage.markPresent(runStart, runEnd)
                    if firstNew < 0 { firstNew = runStart }
                    offset = runEnd
                } else {
                    offset += 1
                }
            }
        }
        guard firstNew >= 0 else {
            duplicateSegments += 1
            return .nothingNew
        }
        storage.markSegmentStart(firstNew)
        furthest = max(furthest, end)
        guard firstNew <= contiguous else { return .heldAhead }
        let newContiguous = storage.firstAbsent(from: contiguous)
        guard newContiguous > contiguous else { return .heldAhead }
        contiguous = newContiguous
        return .advanced
    }

    /// Calls `body` with window bytes `[from, contiguous)`; an empty buffer when there are none.
    func withContiguousBytes<R>(from: Int = 0, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let window, from >= 0, from < contiguous else {
            return body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return window.bytes.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[from..<contiguous]))  // from < contiguous <= capacity
        }
    }

    /// Distinct segments whose first new byte lies in window offsets `[start, end)`.
    func segmentsStarting(in start: Int, _ end: Int) -> Int {
        window?.segmentStartCount(start, end) ?? 0
    }

    /// True when nothing is stored: the next in-order segment can bypass the window.
    var isEmpty: Bool { contiguous == 0 && furthest == 0 }

    /// Moves an empty window forward over `count` bytes a consumer took straight from a segment.
    mutating func advanceEmpty(by count: Int) {
        guard isEmpty, count > 0 else { return }
        baseSequence = baseSequence &+ UInt32(truncatingIfNeeded: count)
        discarded = discarded &+ Int64(count)
    }

    /// Drops the first `count` contiguous bytes and slides the window forward by as much.
    mutating func discardPrefix(_ count: Int) {
        let count = min(max(0, count), contiguous)
        guard count > 0, var storage = window else { return }
        window = nil
        if furthest <= count {
            storage.reset(used: furthest)
        } else {
            storage.discardPrefix(count, used: furthest)
        }
        window = storage
        contiguous -= count
        furthest = max(0, furthest - count)
        baseSequence = baseSequence &+ UInt32(truncatingIfNeeded: count)
        discarded = discarded &+ Int64(count)
    }

    /// Hands the window back to the pool; the reassembler keeps its counters.
    mutating func releaseWindow(to pool: inout ReassemblyWindowPool) {
        guard let storage = window else { return }
        window = nil
        pool.give(storage, used: furthest)
    }
}
