// Storage for one direction's reassembly window: the bytes and two bitmaps. Reused through a pool.

/// A fixed-capacity byte window with a "byte present" bitmap and a "segment started here" bitmap.
///
/// Allocated once per pool slot; `reset()` clears only the bitmap words that were used.
struct ReassemblyWindow {
    /// Window bytes; `bytes.count == capacity` always.
    var bytes: [UInt8]
    /// Bit `i` set: window byte `i` has been received.
    var present: [UInt64]
    /// Bit `i` set: a segment's first new byte landed at window offset `i` (counts distinct segments).
    var segmentStarts: [UInt64]

    var capacity: Int { bytes.count }

    init(capacity: Int) {
        let size = max(0, capacity)
        bytes = [UInt8](repeating: 0, count: size)
        let words = (size + 63) / 64
        present = [UInt64](repeating: 0, count: words)
        segmentStarts = [UInt64](repeating: 0, count: words)
    }

    // MARK: - Bits

    @inline(__always)
    func isPresent(_ offset: Int) -> Bool {
        let word = offset >> 6
        guard offset >= 0, word < present.count else { return false }
        return present[word] & (1 << UInt64(offset & 63)) != 0  // checked above
    }

    /// Sets bits `[start, end)` of `present`. Offsets must lie within the window (caller clips).
    mutating func markPresent(_ start: Int, _ end: Int) {
        Self.setBits(&present, start, end)
    }

    mutating func markSegmentStart(_ offset: Int) {
        Self.setBits(&segmentStarts, offset, offset + 1)
    }

    /// The first offset at or after `from` whose byte is absent, or `capacity`.
    func firstAbsent(from: Int) -> Int {
        var offset = max(0, from)
        while offset < capacity {
            let word = offset >> 6
            guard word < present.count else { break }
            let shifted = present[word] >> UInt64(offset & 63)  // checked above
            let run = (~shifted).trailingZeroBitCount
            let available = 64 - (offset & 63)
            if run < available { return min(capacity, offset + run) }
            offset += available
        }
        return capacity
    }

    /// Number of segment-start bits in `[start, end)`.
    func segmentStartCount(_ start: Int, _ end: Int) -> Int {
        var total = 0
        var offset = max(0, start)
        let stop = min(end, capacity)
        while offset < stop {
            let word = offset >> 6
            guard word < segmentStarts.count else { break }
            let bit = offset & 63
            let span = min(64 - bit, stop - offset)
            var value = segmentStarts[word] >> UInt64(bit)  // checked above
            if span < 64 { value &= (1 << UInt64(span)) &- 1 }
            total += value.nonzeroBitCount
            offset += span
        }
        return total
    }

    // MARK: - Shifting and clearing

    /// Clears all bitmap words covering `[0, used)`.
    mutating func reset(used: Int) {
        let words = min(present.count, (max(0, used) + 63) / 64)
        for i in 0..<words {
            present[i] = 0
            segmentStarts[i] = 0
        }
    }

    /// Moves window bytes `[count, used)` to the front and shifts both bitmaps by `count` bits.
    mutating func discardPrefix(_ count: Int, used: Int) {
        guard count > 0 else { return }
        let keep = max(0, min(capacity, used) - count)
        if keep > 0 {
            bytes.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                // Overlapping move within the window; both ranges lie inside [0, capacity).
                (base + 0).copyMemory(from: base + count, byteCount: keep)
            }
        }
        Self.shiftDown(&present, by: count)
        Self.shiftDown(&segmentStarts, by: count)
    }

    // MARK: - Bitmap helpers

    private static func setBits(_ words: inout [UInt64], _ start: Int, _ end: Int) {
        var offset = max(0, start)
        let stop = min(end, words.count * 64)
        while offset < stop {
            let word = offset >> 6
            let bit = offset & 63
            let span = min(64 - bit, stop - offset)
            let mask: UInt64 = span == 64 ? ~0 : ((1 << UInt64(span)) &- 1) << UInt64(bit)
            words[word] |= mask  // word < words.count because offset < words.count * 64
            offset += span
        }
    }

    /// Shifts a bitmap towards bit 0 by `count` bits; vacated high bits become 0.
    private static func shiftDown(_ words: inout [UInt64], by count: Int) {
        let wordShift = count >> 6
        let bitShift = UInt64(count & 63)
        let n = words.count
        for i in 0..<n {
            let source = i + wordShift
            var value: UInt64 = 0
            if source < n {
                value = words[source] >> bitShift
                if bitShift != 0, source + 1 < n {
                    value |= words[source + 1] << (64 - bitShift)
                }
            }
            words[i] = value
        }
    }
}

/// Reuses reassembly windows so that flows do not allocate one each, and bounds how many exist.
struct ReassemblyWindowPool {
    let windowCapacity: Int
    let maxPooled: Int
    /// Windows lent out at once; `take()` returns nil past this.
    let maxInUse: Int
    private var free: [ReassemblyWindow] = []
    /// Windows created since the tracker started (for tests and diagnostics).
    private(set) var created: Int = 0
    /// Windows currently lent out.
    private(set) var inUse: Int = 0
    /// Requests refused because `maxInUse` windows were lent out.
    private(set) var refused: Int64 = 0

    init(windowCapacity: Int, maxInUse: Int = 4_096, maxPooled: Int = 64) {
        self.windowCapacity = max(0, windowCapacity)
        self.maxInUse = max(0, maxInUse)
        self.maxPooled = max(0, maxPooled)
    }

    /// A cleared window, reused when one is free; nil when `maxInUse` windows are lent out.
    mutating func take() -> ReassemblyWindow? {
        guard inUse < maxInUse else {
            refused &+= 1
            return nil
        }
        inUse += 1
        if let window = free.popLast() { return window }
        created += 1
        return ReassemblyWindow(capacity: windowCapacity)
    }

    /// Returns a window taken with `take()`; `used` is how far its bitmaps may be dirty.
    mutating func give(_ window: ReassemblyWindow, used: Int) {
        inUse = max(0, inUse - 1)
        guard free.count < maxPooled, window.capacity == windowCapacity else { return }
        var window = window
        window.reset(used: used)
        free.append(window)
    }
}
