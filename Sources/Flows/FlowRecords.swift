import Capture
import Decode

// The contract between Flows and Correlate: finished TCP flows and DNS transactions.
// Re-exported names so that Correlate needs only `import Flows`.
public typealias Timestamp = Capture.Timestamp
public typealias PacketRef = Capture.PacketRef
public typealias IPAddress = Decode.IPAddress
public typealias DNSName = Decode.DNSName
public typealias DNSResourceRecord = Decode.DNSResourceRecord
public typealias DNSRecordData = Decode.DNSRecordData
public typealias DNSType = Decode.DNSType
public typealias DNSRcode = Decode.DNSRcode
public typealias ClientHelloInfo = Decode.ClientHelloInfo
public typealias ServerHelloInfo = Decode.ServerHelloInfo
public typealias TLSAlert = Decode.TLSAlert
public typealias ConnectRequest = Decode.ConnectRequest
public typealias TransportProtocol = Decode.TransportProtocol
public typealias DecodeAnomalies = Decode.DecodeAnomalies

/// A moment in the capture: when, and which frame.
public struct PacketMoment: Hashable, Sendable {
    public var time: Timestamp
    public var ref: PacketRef
    public init(time: Timestamp, ref: PacketRef) { self.time = time; self.ref = ref }
}

/// Zeek's conn_state for a TCP flow (see Zeek's base/protocols/conn/main.zeek).
public enum ConnState: String, Sendable, Hashable, CaseIterable {
    /// SYN seen, no reply.
    case S0
    /// Established, not terminated.
    case S1
    /// Normal establishment and termination.
    case SF
    /// SYN answered by RST.
    case REJ
    /// Established, originator sent FIN, no reply FIN.
    case S2
    /// Established, responder sent FIN, no originator FIN.
    case S3
    /// Established, originator aborted (RST).
    case RSTO
    /// Established, responder aborted (RST).
    case RSTR
    /// Originator sent SYN then RST; no SYN-ACK.
    case RSTOS0
    /// Responder sent SYN-ACK then RST; no originator SYN seen.
    case RSTRH
    /// Originator sent SYN then FIN; no SYN-ACK ("half open").
    case SH
    /// Responder sent SYN-ACK then FIN; no originator SYN seen.
    case SHR
    /// No SYN seen: midstream traffic.
    case OTH
}

/// How far the TLS handshake got.
public enum TLSProgress: String, Sendable, Hashable {
    /// No ClientHello seen (not TLS, or no client payload).
    case none
    /// ClientHello sent, no ServerHello yet.
    case clientHelloSent
    /// ServerHello seen, server's handshake not yet finished.
    case serverHelloSeen
    /// Server finished its handshake (encrypted records flowed): established.
    case established
    /// A cleartext alert ended the handshake.
    case alert
}

/// One bidirectional TCP flow, keyed by its 5-tuple; the client is the side that sent the first SYN.
/// When no SYN was seen: a SYN-ACK's sender is the server; otherwise, for a flow seen mid-stream, the
/// server is the side on a well-known service port (443, 80, 53, 3128, 8080, 8443, ...), else the side
/// with the lower port (equal ports: the first packet's sender is the client).
public struct TCPFlowRecord: Sendable {
    public var client: IPAddress
    public var clientPort: UInt16
    public var server: IPAddress
    public var serverPort: UInt16
    /// First and last packet of the flow.
    public var first: PacketMoment
    public var last: PacketMoment
    /// The client's SYNs, first and retransmissions (the first few; `synCount` counts all).
    public var syns: [PacketMoment]
    public var synCount: Int
    public var synAck: PacketMoment?
    /// First RST from each side, and first FIN from each side.
    public var clientReset: PacketMoment?
    public var serverReset: PacketMoment?
    public var clientFin: PacketMoment?
    public var serverFin: PacketMoment?
    public var state: ConnState
    /// True when the flow was already running when the capture started (no SYN seen).
    public var partial: Bool
    public var packetsToServer: Int64
    public var packetsToClient: Int64
    /// TCP payload bytes each way.
    public var bytesToServer: Int64
    public var bytesToClient: Int64

    // MARK: Application layer
    public var clientHello: ClientHelloInfo?
    /// The frame that completed the ClientHello, and how many TCP segments carried it.
    public var clientHelloCompleted: PacketMoment?
    public var clientHelloSegments: Int
    public var serverHello: ServerHelloInfo?
    public var serverHelloAt: PacketMoment?
    public var alert: TLSAlert?
    /// True when the alert came from the server.
    public var alertFromServer: Bool
    public var alertAt: PacketMoment?
    public var tls: TLSProgress
    /// When the server finished its handshake.
    public var establishedAt: PacketMoment?
    /// CONNECT request the client sent (proxies), and the proxy's status code.
    public var connect: ConnectRequest?
    public var connectStatus: Int?
    /// TLS that started inside the CONNECT tunnel is reported in the TLS fields above.

    /// True when the capture ended before the flow closed.
    public var openAtCaptureEnd: Bool

    // MARK: Flow tracking details (additions)
    /// Why the tracker ended the flow early, if it did (idle timeout or the active-flow limit).
    public var eviction: FlowEviction? = nil
    /// In-order client bytes collected from the client's first payload byte while the handshake
    /// was undecided (at most `FlowLimits.maxFirstBytes`).
    public var clientFirstBytesCollected: Int = 0
    /// Client payload segments, while the handshake was undecided, that brought no new byte
    /// (retransmissions and duplicates, e.g. a ClientHello segment resent because it was not acknowledged).
    public var clientDuplicateSegments: Int = 0
    /// True when `maxFirstBytes` (or the server walk limit) was reached before the handshake was decided.
    public var firstBytesLimitHit: Bool = false
    /// True when the capture's snaplen cut a segment whose bytes the handshake needed.
    public var firstBytesTruncated: Bool = false
    /// Client stream bytes the server acknowledged (its highest ACK, relative to the client's ISN);
    /// nil when the client's ISN is unknown or the server acknowledged nothing. Compared with
    /// `clientHello.recordBytes` it tells a ClientHello that never fully reached the server.
    public var clientBytesAckedByServer: Int64? = nil
    /// Client segments that resent ClientHello bytes already seen (the first few, at most
    /// `TCPFlowRecord.recordedRetransmissionLimit`; `clientDuplicateSegments` counts all duplicates):
    /// with `clientBytesAckedByServer` below the ClientHello's size, a ClientHello that did not get through.
    public var clientHelloRetransmissions: [PacketMoment] = []
    /// The frame that completed the client's CONNECT request header block (proxies), and the frame
    /// that completed the proxy's response header block; nil when not seen.
    public var connectAt: PacketMoment? = nil
    public var connectResponseAt: PacketMoment? = nil

    public init(client: IPAddress, clientPort: UInt16, server: IPAddress, serverPort: UInt16, first: PacketMoment) {
        self.client = client; self.clientPort = clientPort; self.server = server; self.serverPort = serverPort
        self.first = first; self.last = first
        self.syns = []; self.synCount = 0
        self.state = .OTH; self.partial = false
        self.packetsToServer = 0; self.packetsToClient = 0; self.bytesToServer = 0; self.bytesToClient = 0
        self.clientHelloSegments = 0; self.alertFromServer = false; self.tls = .none; self.openAtCaptureEnd = false
    }

    /// Most ClientHello retransmissions kept as moments per flow.
    public static let recordedRetransmissionLimit = 8

    /// SYN retransmissions (SYNs after the first).
    public var synRetransmits: Int { max(0, synCount - 1) }

    /// Milliseconds from the first SYN to the server finishing its handshake, if both were seen.
    public var handshakeMilliseconds: Double? {
        guard let s = syns.first, let e = establishedAt else { return nil }
        return Double(e.time.nanoseconds(since: s.time)) / 1_000_000
    }
}

/// Why flow tracking ended a flow before it closed.
public enum FlowEviction: String, Sendable, Hashable {
    /// Silent for `FlowLimits.idleTimeoutSeconds`.
    case idle
    /// Evicted, as the least recently active flow, to make room under `FlowLimits.maxActiveFlows`.
    case activeFlowLimit
}

/// Transport a DNS transaction used.
public enum DNSTransport: String, Sendable, Hashable {
    case udp, tcp
}

/// One DNS query and its response, if one came.
public struct DNSTransaction: Sendable {
    public var client: IPAddress
    public var clientPort: UInt16
    public var resolver: IPAddress
    public var resolverPort: UInt16
    public var transport: DNSTransport
    public var id: UInt16
    public var name: DNSName
    public var type: UInt16
    /// The first query, and how many times it was sent.
    public var query: PacketMoment
    public var querySends: Int
    public var response: PacketMoment?
    /// nil while unanswered.
    public var rcode: UInt16?
    public var answers: [DNSResourceRecord]
    public var authority: [DNSResourceRecord]
    /// True when no response came within the timeout window, or before the capture ended.
    public var timedOut: Bool
    /// True when the response was seen without its query (capture started after it).
    public var responseOnly: Bool
    /// True when the query was dropped unanswered because `maxPendingDNS` was reached
    /// (neither answered nor known to have timed out).
    public var evicted: Bool = false
    /// The response's TC bit (RFC 1035 §4.1.1): the client should retry over TCP.
    public var truncatedResponse: Bool = false

    public init(client: IPAddress, clientPort: UInt16, resolver: IPAddress, resolverPort: UInt16,
                transport: DNSTransport, id: UInt16, name: DNSName, type: UInt16, query: PacketMoment) {
        self.client = client; self.clientPort = clientPort; self.resolver = resolver; self.resolverPort = resolverPort
        self.transport = transport; self.id = id; self.name = name; self.type = type; self.query = query
        self.querySends = 1; self.rcode = nil; self.answers = []; self.authority = []
        self.timedOut = false; self.responseOnly = false
    }

    /// Final A/AAAA addresses of the answer section (after following CNAMEs from the question name).
    public var addresses: [IPAddress] {
        answers.compactMap { if case .address(let a) = $0.data { a } else { nil } }
    }

    /// Round-trip time in milliseconds, when answered.
    public var rttMilliseconds: Double? {
        guard let r = response, !responseOnly else { return nil }
        return Double(r.time.nanoseconds(since: query.time)) / 1_000_000
    }
}

/// Limits on flow-tracking state. All finite; hitting one evicts and is counted.
public struct FlowLimits: Sendable, Hashable {
    /// TCP flows tracked at once.
    public var maxActiveFlows: Int = 65_536
    /// Seconds of silence after which an open flow is evicted (and reported as open).
    public var idleTimeoutSeconds: Int64 = 300
    /// Client and server first bytes collected per flow until the handshake is decided.
    public var maxFirstBytes: Int = 16_384
    /// Seconds a DNS query waits for its response before it is a timeout.
    public var dnsTimeoutSeconds: Int64 = 5
    /// DNS queries awaiting a response at once.
    public var maxPendingDNS: Int = 65_536
    /// Finished flows and DNS transactions kept for correlation and the report.
    public var maxRetainedFlows: Int = 200_000
    public var maxRetainedDNS: Int = 200_000
    /// Of those finished flows, how many may have carried neither a ClientHello nor a CONNECT
    /// (SYNs that went unanswered, resets, scans): kept first come, first kept, then counted in
    /// `flowsNotRetained`. Without it a SYN flood to 443 fills the whole `maxRetainedFlows` with
    /// records (~600 bytes each) that name nothing: 200,000 of them cost over 250 MB at peak.
    public var maxRetainedFlowsWithoutHandshake: Int = 16_384
    /// Seconds of capture time a closed flow (FIN both ways, or RST) lingers to absorb final ACKs
    /// and retransmitted RSTs before it is finished (Zeek's tcp_close_delay / tcp_reset_delay).
    public var closedLingerSeconds: Int64 = 5
    /// First-bytes reassembly buffers (each `maxFirstBytes` plus 1/32 of that for bitmaps) in use
    /// at once; flows that find none skip handshake parsing (counted).
    public var maxReassemblyBuffers: Int = 4_096
    public init() {}
}

/// Counters of what the limits cost.
public struct FlowCounters: Sendable, Hashable {
    public var tcpPackets: Int64 = 0
    public var udpPackets: Int64 = 0
    public var flowsSeen: Int64 = 0
    /// Flows evicted because `maxActiveFlows` was reached.
    public var flowsEvictedAtLimit: Int64 = 0
    /// Flows evicted after `idleTimeoutSeconds` of silence.
    public var flowsEvictedIdle: Int64 = 0
    /// Finished flows not kept because `maxRetainedFlows` was reached.
    public var flowsNotRetained: Int64 = 0
    public var dnsMessages: Int64 = 0
    public var dnsMalformed: Int64 = 0
    /// Responses that matched no query and were kept as response-only transactions.
    public var dnsUnmatchedResponses: Int64 = 0
    /// Queries dropped because `maxPendingDNS` was reached.
    public var dnsPendingEvicted: Int64 = 0
    public var dnsNotRetained: Int64 = 0
    /// Flows whose first bytes hit `maxFirstBytes` before a handshake parsed.
    public var firstBytesLimitHit: Int64 = 0
    /// Finished flows `retainFlow` declined.
    public var flowsFilteredOut: Int64 = 0
    /// Flows ended because a new SYN reused their 5-tuple (port reuse).
    public var flowsEndedByPortReuse: Int64 = 0
    /// DNS messages without a question (cannot be matched).
    public var dnsWithoutQuestion: Int64 = 0
    /// Responses repeating one already matched (absorbed, not response-only).
    public var dnsDuplicateResponses: Int64 = 0
    /// DNS-over-TCP messages larger than the framer's bound, skipped.
    public var dnsTCPOversized: Int64 = 0
    /// Flows whose handshake bytes were cut by the capture's snaplen.
    public var firstBytesTruncated: Int64 = 0
    /// Flows that skipped handshake parsing because `maxReassemblyBuffers` were in use.
    public var reassemblyBuffersExhausted: Int64 = 0
    public init() {}
}

/// Everything flow tracking found.
public struct FlowsResult: Sendable {
    /// Retained TCP flows, ordered by first packet time.
    public var flows: [TCPFlowRecord]
    /// DNS transactions, ordered by query time.
    public var dns: [DNSTransaction]
    public var counters: FlowCounters
    public var decodeAnomalies: DecodeAnomalies
    /// Time of the first and last packet seen.
    public var captureStart: Timestamp?
    public var captureEnd: Timestamp?
    public init(flows: [TCPFlowRecord], dns: [DNSTransaction], counters: FlowCounters, decodeAnomalies: DecodeAnomalies,
                captureStart: Timestamp?, captureEnd: Timestamp?) {
        self.flows = flows; self.dns = dns; self.counters = counters; self.decodeAnomalies = decodeAnomalies
        self.captureStart = captureStart; self.captureEnd = captureEnd
    }
}
