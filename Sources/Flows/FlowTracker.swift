import Capture
import Decode

/// Tracks TCP flows and DNS transactions from decoded packets, in capture order.
///
/// `retainFlow` decides which finished flows are kept for the report (for example only those to
/// port 443 or with a ClientHello); everything else costs only counters.
public final class FlowTracker {
    public let limits: FlowLimits
    public private(set) var counters = FlowCounters()
    private let retainFlow: (TCPFlowRecord) -> Bool

    public init(limits: FlowLimits = FlowLimits(), retainFlow: @escaping (TCPFlowRecord) -> Bool) {
        self.limits = limits
        self.retainFlow = retainFlow
    }

    /// Processes one packet. Packets must come in capture order.
    public func process(_ packet: DecodedPacket) {
        // replaced by the flow-tracking implementation
    }

    /// Ends tracking: open flows are closed as "open at capture end", pending DNS queries become
    /// timeouts.
    public func finish(decodeAnomalies: DecodeAnomalies) -> FlowsResult {
        FlowsResult(flows: [], dns: [], counters: counters, decodeAnomalies: decodeAnomalies, captureStart: nil, captureEnd: nil)
    }
}
