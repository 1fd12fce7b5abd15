import Capture

// MARK: - Bounded IP fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5, RFC 815 hole tracking)

/// Identifies the fragments of one datagram: RFC 791's (source, destination, protocol, identification),
/// RFC 8200's (source, destination, identification).
struct FragmentKey: Hashable {
    var source: IPAddress
    var destination: IPAddress
    var identification: UInt32
    var protocolNumber: UInt8
}

/// What happened to one fragment given to the reassembler.
struct FragmentResult {
    enum Outcome {
        /// Held; the datagram is still incomplete.
        case held
        /// The datagram is complete; its data lives in the reassembler's output buffer until the next call.
        case complete(UnsafeRawBufferPointer)
        /// The fragment (and its datagram) was dropped: too large, inconsistent, or over a limit.
        case dropped(inconsistent: Bool)
    }
    var outcome: Outcome
    /// Partial datagrams dropped during this call (timeouts, evictions, limits), this fragment's included.
    var datagramsDropped: Int = 0
    /// The fragment overlapped bytes already held (those bytes were kept: first arrival wins).
    var overlapped: Bool = false
}

/// A datagram being reassembled.
struct PartialDatagram {
    /// Time of its first fragment, for the timeout.
    var firstSeen: Timestamp
    /// Data received so far, indexed by datagram offset; grows to the highest fragment end.
    var storage: [UInt8] = []
    /// Received byte ranges, sorted and merged; the holes are what lies between them.
    var received: [Range<Int>] = []
    /// Fragments accepted so far.
    var fragmentCount = 0
    /// Datagram length, known once the last fragment (MF clear) arrived.
    var totalLength: Int?
}

/// Holds IP fragments until their datagram is complete. All state is bounded by `DecodeLimits`.
///
/// Overlaps are resolved deterministically: bytes already held win, a later fragment only fills holes
/// (RFC 5722 would drop overlapping IPv6 datagrams; keeping the first copy lets captures of retransmitted
/// fragments still decode, and the overlap is counted).
final class FragmentReassembler {
    let limits: DecodeLimits
    private var partials: [FragmentKey: PartialDatagram] = [:]
    /// The reusable buffer that holds the last completed datagram.
    private var output: UnsafeMutableRawBufferPointer?

    init(limits: DecodeLimits) {
        self.limits = limits
    }

    deinit {
        output?.deallocate()
    }

    /// A reassembler holding the same partial datagrams (for copy-on-write of `PacketDecoder`).
    func copy() -> FragmentReassembler {
        let twin = FragmentReassembler(limits: limits)
        twin.partials = partials
        return twin
    }

    /// Datagrams currently in reassembly.
    var pendingCount: Int { partials.count }

    /// Adds the fragment `data` (at byte `info.offset` of the datagram keyed by `key`), seen at `time`.
    func add(_ data: UnsafeRawBufferPointer, info: FragmentInfo, key: FragmentKey, at time: Timestamp) -> FragmentResult {
        var result = FragmentResult(outcome: .held)
        result.datagramsDropped = expire(before: time)
        let start = info.offset
        let (end, overflow) = start.addingReportingOverflow(data.count)
        guard !overflow, end <= limits.maxDatagramBytes else {
            return drop(key, into: &result, inconsistent: false)
        }
        var datagram: PartialDatagram
        if let existing = partials.removeValue(forKey: key) {
            datagram = existing
        } else {
            guard limits.maxFragmentedDatagrams > 0 else { return drop(key, into: &result, inconsistent: false) }
            while partials.count >= limits.maxFragmentedDatagrams, evictOldest() {
                result.datagramsDropped &+= 1
            }
            datagram = PartialDatagram(firstSeen: time)
        }
        // Length consistency: one last fragment, nothing beyond it.
        if !info.moreFragments {
            let highestEnd = datagram.received.last?.upperBound ?? 0
            if let total = datagram.totalLength, total != end { return drop(key, into: &result, inconsistent: true) }
            if highestEnd > end { return drop(key, into: &result, inconsistent: true) }
            datagram.totalLength = end
        } else if let total = datagram.totalLength, end > total {
            return drop(key, into: &result, inconsistent: true)
        }
        datagram.fragmentCount &+= 1
        guard datagram.fragmentCount <= limits.maxFragmentsPerDatagram else {
            return drop(key, into: &result, inconsistent: false)
        }
        result.overlapped = Self.insert(data, at: start, end: end, into: &datagram)

        if let total = datagram.totalLength, datagram.received.count == 1, datagram.received[0] == 0..<total {
            return complete(datagram, total: total, into: &result)
        }
        partials[key] = datagram
        return result
    }

    // MARK: - Holes

    /// Copies the parts of `data` that fall into holes; returns true when some of it overlapped held bytes.
    private static func insert(_ data: UnsafeRawBufferPointer, at start: Int, end: Int,
                               into datagram: inout PartialDatagram) -> Bool {
        guard start < end else { return false }
        if datagram.storage.count < end {
            datagram.storage.append(contentsOf: repeatElement(0, count: end - datagram.storage.count))
        }
        var overlapped = false
        var cursor = start
        var merged: [Range<Int>] = []
        merged.reserveCapacity(datagram.received.count + 1)
        var newRange = start..<end
        datagram.storage.withUnsafeMutableBytes { storage in
            for range in datagram.received {
                if range.upperBound < start || range.lowerBound > end {
                    merged.append(range)
                    continue
                }
                // Touching or overlapping: fill the hole before it, then skip what it holds.
                if range.lowerBound > cursor {
                    copy(data, from: cursor - start, count: range.lowerBound - cursor, to: storage, at: cursor)
                }
                if range.overlaps(start..<end) { overlapped = true }
                cursor = max(cursor, range.upperBound)
                newRange = min(newRange.lowerBound, range.lowerBound)..<max(newRange.upperBound, range.upperBound)
            }
            if cursor < end {
                copy(data, from: cursor - start, count: end - cursor, to: storage, at: cursor)
            }
        }
        merged.append(newRange)
        merged.sort { $0.lowerBound < $1.lowerBound }
        datagram.received = merged
        return overlapped
    }

    private static func copy(_ data: UnsafeRawBufferPointer, from source: Int, count: Int,
                             to storage: UnsafeMutableRawBufferPointer, at destination: Int) {
        guard count > 0, source >= 0, source + count <= data.count, destination >= 0,
              destination + count <= storage.count,
              let from = data.baseAddress, let to = storage.baseAddress else { return }
        (to + destination).copyMemory(from: from + source, byteCount: count)
    }

    // MARK: - Completion, drops, limits

    private func complete(_ datagram: PartialDatagram, total: Int, into result: inout FragmentResult) -> FragmentResult {
        let buffer: UnsafeMutableRawBufferPointer
        if let output {
            buffer = output
        } else {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(limits.maxDatagramBytes, 1), alignment: 8)
            output = buffer
        }
        let count = min(total, buffer.count, datagram.storage.count)
        datagram.storage.withUnsafeBytes { storage in
            Self.copy(storage, from: 0, count: count, to: buffer, at: 0)
        }
        result.outcome = .complete(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        return result
    }

    private func drop(_ key: FragmentKey, into result: inout FragmentResult, inconsistent: Bool) -> FragmentResult {
        partials.removeValue(forKey: key)
        result.datagramsDropped &+= 1
        result.outcome = .dropped(inconsistent: inconsistent)
        return result
    }

    /// Drops datagrams whose first fragment is older than the timeout; returns how many.
    private func expire(before time: Timestamp) -> Int {
        let timeout = limits.fragmentTimeoutSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        let limit = timeout.overflow ? Int64.max : timeout.partialValue
        guard partials.contains(where: { time.nanoseconds(since: $0.value.firstSeen) > limit }) else { return 0 }
        let stale = partials.filter { time.nanoseconds(since: $0.value.firstSeen) > limit }
        for key in stale.keys { partials.removeValue(forKey: key) }
        return stale.count
    }

    /// Drops the datagram that started first; false when there is none.
    private func evictOldest() -> Bool {
        guard let oldest = partials.min(by: { $0.value.firstSeen < $1.value.firstSeen }) else { return false }
        partials.removeValue(forKey: oldest.key)
        return true
    }
}
