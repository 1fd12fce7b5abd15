import Flows

// What happened to one TCP flow, from its record alone (plus where it went and when the capture ended).

/// Labels flows and names the path they took.
struct FlowLabeler {
    /// A flow whose only SYN is younger than this at capture end is `incomplete`, not a `timeout`.
    static let lonelySYNGraceNanoseconds: Int64 = 3_000_000_000
    /// A ClientHello left unanswered this long before capture end is a TLS failure, not `incomplete`.
    static let unansweredHelloNanoseconds: Int64 = 3_000_000_000

    var captureEnd: Timestamp?

    /// proxy when the client sent CONNECT; else by the class of the server's address.
    func path(of record: TCPFlowRecord, serverClass: AddressClass) -> FlowPath {
        if record.connect != nil { return .proxy }
        return serverClass == .private ? .vpcEndpoint : .internet
    }

    /// The label (see `FlowLabel`), decided in this order:
    /// 1. CONNECT answered 2xx and TLS established inside: `proxy`; CONNECT answered otherwise: `refused`.
    /// 2. The server finished its TLS handshake: `reset` if the server then reset without either side
    ///    closing first, else by path (`vpcEndpoint`/`natInternet`; `proxy` through a proxy).
    /// 3. Seen mid-stream (no SYN in the capture): `incomplete`.
    /// 4. SYN answered by RST (REJ, or a server RST with no SYN-ACK): `refused`.
    /// 5. No SYN-ACK and no server payload: `timeout` when the SYN was retransmitted, the client gave up (RST or FIN), or
    ///    the first SYN is over 3 s older than the capture end; else `incomplete`.
    /// 6. TCP up: an alert → `tlsFailed`; a one-segment ClientHello the server answered only with a
    ///    RST → `reset` (SNI filtering); any other reset or close before the server finished →
    ///    `tlsFailed` (including a split ClientHello then a reset: a dropped large ClientHello); a
    ///    ClientHello unanswered for over 3 s at capture end → `tlsFailed`; no TLS but data both
    ///    ways (not through a proxy) → by path; no TLS and a reset → `reset`; else `incomplete`.
    func label(of record: TCPFlowRecord, path: FlowPath) -> FlowLabel {
        let establishedLabel: FlowLabel = switch path {
        case .proxy: .proxy
        case .vpcEndpoint: .vpcEndpoint
        case .internet, .unknown: .natInternet
        }
        if record.connect != nil, let status = record.connectStatus, !(200...299).contains(status) { return .refused }

        if record.tls == .established {
            if let establishedAt = record.establishedAt, let serverReset = record.serverReset, serverReset.time >= establishedAt.time,
               !closedBefore(serverReset, record) {
                return .reset
            }
            return establishedLabel
        }

        // Seen mid-stream: without its handshake nothing can be said about the path's health.
        if record.partial { return .incomplete }

        // TCP is up once a SYN-ACK was seen, or the server sent payload (a SYN-ACK the tracker did
        // not take, e.g. one of several with different sequence numbers).
        let serverSpoke = record.bytesToClient > 0 || record.serverHello != nil || record.tls == .alert
        if record.synAck == nil, !serverSpoke {
            if record.state == .REJ || record.serverReset != nil { return .refused }
            guard let firstSYN = record.syns.first else { return .incomplete }
            if record.synCount >= 2 || record.clientReset != nil || record.clientFin != nil { return .timeout }
            let end = captureEnd ?? record.last.time
            return end.nanoseconds(since: firstSYN.time) > Self.lonelySYNGraceNanoseconds ? .timeout : .incomplete
        }

        if record.tls == .alert { return .tlsFailed }
        // The server's side reset a whole ClientHello it sent nothing back to (an SNI filter):
        // a reset, not a TLS failure. A split ClientHello followed by a reset stays a TLS failure
        // (a middlebox dropping a large ClientHello).
        if record.tls == .clientHelloSent, let serverReset = record.serverReset, !Self.splitClientHello(record),
           record.bytesToClient == 0, !(record.clientReset.map { $0.time < serverReset.time } ?? false) {
            return .reset
        }
        if record.tls == .clientHelloSent || record.tls == .serverHelloSeen {
            if record.serverReset != nil || record.clientReset != nil || record.serverFin != nil || record.clientFin != nil {
                return .tlsFailed
            }
            let helloAt = record.clientHelloCompleted?.time ?? record.last.time
            let end = captureEnd ?? record.last.time
            return end.nanoseconds(since: helloAt) > Self.unansweredHelloNanoseconds ? .tlsFailed : .incomplete
        }
        // No ClientHello: not TLS, or the client never spoke. Through a proxy, bytes both ways are
        // only the CONNECT exchange, which proves nothing about the endpoint.
        if path != .proxy, record.bytesToServer > 0, record.bytesToClient > 0, record.serverReset == nil {
            return establishedLabel
        }
        if record.serverReset != nil || record.clientReset != nil { return .reset }
        return .incomplete
    }

    /// True when the ClientHello took two or more TCP segments.
    static func splitClientHello(_ record: TCPFlowRecord) -> Bool { record.clientHelloSegments >= 2 }

    /// A split ClientHello the server never answered, followed by silence or a reset: the
    /// signature of a middlebox dropping a large (post-quantum) ClientHello.
    static func isDroppedSplitClientHello(_ record: TCPFlowRecord, label: FlowLabel) -> Bool {
        label == .tlsFailed && splitClientHello(record) && record.tls == .clientHelloSent && record.alert == nil
            && record.serverHello == nil
    }

    /// True when either side sent FIN before `reset`: a close, not an abort.
    private func closedBefore(_ reset: PacketMoment, _ record: TCPFlowRecord) -> Bool {
        if let fin = record.clientFin, fin.time <= reset.time { return true }
        if let fin = record.serverFin, fin.time <= reset.time { return true }
        if let clientReset = record.clientReset, clientReset.time <= reset.time { return true }
        return false
    }
}
