import Capture
import Decode

/// Tracks TCP flows and DNS transactions from decoded packets, in capture order.
///
/// `retainFlow` decides which finished flows are kept for the report (for example only those to
/// port 443 or with a ClientHello); everything else costs only counters.
///
/// Policies (see the implementation files for detail):
/// - TCP state follows Zeek's endpoint state machine and `conn_state`; the client is the side that
///   sent the first SYN (a SYN-ACK's sender is the server; for flows seen mid-stream see
///   `MidstreamClientRule`: a well-known service port, else the lower port, is the server).
/// - A SYN whose ISN differs from the flow's client ISN starts a new flow (port reuse); the old one
///   is finished first. Closed flows (FIN both ways, or RST) linger `closedLingerSeconds`; silent
///   flows are evicted after `idleTimeoutSeconds`; past `maxActiveFlows` the least recently active
///   flow is evicted. Each eviction is counted.
/// - First bytes: up to `maxFirstBytes` of each side from its first payload byte, reassembled in
///   and out of order, first copy wins on overlap. Buffers come from a bounded pool
///   (`maxReassemblyBuffers`) and are returned as soon as the handshake is decided; afterwards a
///   flow costs only header accounting (no allocation per packet).
/// - The client's stream may start with a ClientHello, with `CONNECT` (TLS then starts after the
///   request and the proxy's response header blocks), or with up to 1 KiB of another protocol
///   (PostgreSQL, MySQL, SOCKS) before a ClientHello; otherwise the flow is not TLS.
/// - The handshake is decided when the server finished its handshake, an alert was seen, a side
///   is not TLS, or a limit was hit; a server outcome waits until the ClientHello is complete.
/// - DNS: UDP and TCP port 53 only; matching by both endpoints, transport, id and first question;
///   the timeout runs from the query's last send; duplicate responses are absorbed.
public final class FlowTracker {
    public let limits: FlowLimits
    public var counters: FlowCounters { engine.counters }
    private let engine: FlowEngine<DecodeStageParsers>

    public init(limits: FlowLimits = FlowLimits(), retainFlow: @escaping (TCPFlowRecord) -> Bool) {
        self.limits = limits
        self.engine = FlowEngine(limits: limits, retainFlow: retainFlow)
    }

    /// Processes one packet. Packets must come in capture order.
    public func process(_ packet: DecodedPacket) {
        engine.process(packet)
    }

    /// Ends tracking: open flows are closed as "open at capture end", pending DNS queries become
    /// timeouts. Call once, after the last packet.
    public func finish(decodeAnomalies: DecodeAnomalies) -> FlowsResult {
        engine.finish(decodeAnomalies: decodeAnomalies)
    }

    /// What `finish` would return if the capture ended now, without ending tracking (open flows are
    /// marked open at capture end; pending DNS queries as timed out). For live status lines.
    public func snapshot(decodeAnomalies: DecodeAnomalies) -> FlowsResult {
        engine.snapshotState(decodeAnomalies: decodeAnomalies).result()
    }

    /// The same, in two steps: this cheap copy of the state, taken between packets, and its
    /// `result()`, which sorts and may run on another thread while tracking goes on.
    public func deferredSnapshot(decodeAnomalies: DecodeAnomalies) -> FlowsSnapshot {
        engine.snapshotState(decodeAnomalies: decodeAnomalies)
    }
}

/// A copy of flow tracking's state at one moment (copy-on-write: it costs little to take, and the
/// tracker copies what it changes afterwards). `result()` gives what `finish` would have returned.
public struct FlowsSnapshot: Sendable {
    var flows: [TCPFlowRecord]
    var dns: DNSTransactionTable
    var counters: FlowCounters
    var decodeAnomalies: DecodeAnomalies
    var captureStart: Timestamp?
    var captureEnd: Timestamp?

    /// Flows by first packet, DNS by query time (pending queries as timeouts).
    public func result() -> FlowsResult {
        var ordered = flows
        ordered.sort { ($0.first.time, $0.first.ref) < ($1.first.time, $1.first.ref) }
        var table = dns  // a value: finishing the copy leaves the tracker's table untouched
        var finishedCounters = counters
        let transactions = table.finish(counters: &finishedCounters)
        return FlowsResult(flows: ordered, dns: transactions, counters: counters, decodeAnomalies: decodeAnomalies,
                           captureStart: captureStart, captureEnd: captureEnd)
    }
}
