// Per-flow state of DNS over TCP (port 53): each direction reassembled in order (sliding window),
// then framed into messages.

final class DNSStreamTracker {
    private var toServer: StreamReassembler?
    private var toClient: StreamReassembler?
    private var clientFramer: DNSStreamFramer
    private var serverFramer: DNSStreamFramer
    /// True once a direction lost bytes beyond the reassembly window: framing can no longer be trusted.
    private(set) var abandoned = false
    /// True when it was abandoned because no reassembly window was free.
    private(set) var noBuffer = false

    init(maxMessageBytes: Int) {
        clientFramer = DNSStreamFramer(maxMessageBytes: maxMessageBytes)
        serverFramer = DNSStreamFramer(maxMessageBytes: maxMessageBytes)
    }

    /// Messages skipped as oversized so far, both directions.
    var oversizedMessages: Int { clientFramer.oversizedMessages + serverFramer.oversizedMessages }

    /// One segment of either direction; `onMessage` gets each DNS message it completes.
    func segment(fromClient: Bool, sequence: UInt32, streamStart: UInt32?, payload: UnsafeRawBufferPointer,
                 pool: inout ReassemblyWindowPool, onMessage: (UnsafeRawBufferPointer) -> Void) {
        guard !abandoned else { return }
        var stream = (fromClient ? toServer : toClient) ?? StreamReassembler(baseSequence: streamStart ?? sequence)
        if fromClient { toServer = nil } else { toClient = nil }
        defer { if fromClient { toServer = stream } else { toClient = stream } }

        let outcome = stream.insert(sequence: sequence, payload: payload, pool: &pool)
        if stream.windowUnavailable {
            abandoned = true
            noBuffer = true
            return
        }
        if stream.overflowed {
            abandoned = true
            return
        }
        guard outcome == .advanced else { return }
        let count = stream.contiguous
        if fromClient {
            stream.withContiguousBytes { clientFramer.feed($0, onMessage: onMessage) }
        } else {
            stream.withContiguousBytes { serverFramer.feed($0, onMessage: onMessage) }
        }
        stream.discardPrefix(count)
    }

    func release(to pool: inout ReassemblyWindowPool) {
        toServer?.releaseWindow(to: &pool)
        toClient?.releaseWindow(to: &pool)
        toServer = nil
        toClient = nil
    }
}
