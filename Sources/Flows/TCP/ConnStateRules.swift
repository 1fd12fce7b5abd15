import Decode

// Zeek's TCP endpoint state machine and conn_state, re-implemented from their documented behaviour
// (Zeek's TCPSessionAdapter::UpdateStateMachine and base/protocols/conn/main.zeek `conn_state`).

/// Zeek's TCP_ENDPOINT_* states.
enum TCPEndpointState: UInt8, Sendable {
    case inactive, synSent, synAckSent, partial, established, closed, reset

    /// Zeek's "inactive" test in conn_state: no SYN seen from this side.
    var isInactiveOrPartial: Bool { self == .inactive || self == .partial }
}

/// One endpoint's state and the state before its last change (Zeek's `prev_state`).
struct TCPEndpointTrack: Sendable {
    private(set) var state: TCPEndpointState = .inactive
    private(set) var previous: TCPEndpointState = .inactive

    mutating func set(_ next: TCPEndpointState) {
        previous = state
        state = next
    }
}

/// Both endpoints of a flow as Zeek tracks them, plus the one bit of history conn_state reads.
struct TCPConnectionStates: Sendable {
    private var clientTrack = TCPEndpointTrack()
    private var serverTrack = TCPEndpointTrack()
    var client: TCPEndpointState { clientTrack.state }
    var server: TCPEndpointState { serverTrack.state }
    /// Zeek's RSTOS0 history test `^?S[^HAFGIQ]*R`: the originator's first packet was a SYN and it
    /// sent no pure ACK, FIN, SYN-ACK or odd flag combination before its first RST.
    private var originatorHistoryAllowsRSTOS0: Bool
    private var originatorHasReset = false

    init(startedWithClientSyn: Bool) {
        originatorHistoryAllowsRSTOS0 = startedWithClientSyn
    }

    /// Applies one packet: `fromClient` says which endpoint sent it; `payloadLength` its data bytes.
    @inline(__always)  // once per packet; the transitions stay out of line
    mutating func apply(fromClient: Bool, flags: TCPFlagsView, payloadLength: Int) {
        if fromClient {
            updateHistory(flags: flags, payloadLength: payloadLength)
            Self.transition(endpoint: &clientTrack, peer: &serverTrack, fromOriginator: true, flags: flags,
                            payloadLength: payloadLength)
        } else {
            Self.transition(endpoint: &serverTrack, peer: &clientTrack, fromOriginator: false, flags: flags,
                            payloadLength: payloadLength)
        }
    }

    /// Zeek's TCPSessionAdapter::UpdateStateMachine for the sending endpoint.
    private static func transition(endpoint: inout TCPEndpointTrack, peer: inout TCPEndpointTrack, fromOriginator: Bool,
                                   flags: TCPFlagsView, payloadLength: Int) {
        switch endpoint.state {
        case .inactive:
            if flags.syn {
                if fromOriginator {
                    endpoint.set(flags.ack ? .synAckSent : .synSent)
                } else {
                    // The responder's SYN(-ACK) establishes both sides (Zeek: connection_established).
                    if peer.state == .synSent { peer.set(.established) }
                    endpoint.set(.established)
                }
            }
            if flags.fin { endpoint.set(.closed) }
            if flags.rst { endpoint.set(.reset) }
            if endpoint.state == .inactive {
                // No control flag changed the state. A responder's bare ACK of the initial SYN
                // before its SYN-ACK does not count; anything else is a partial connection.
                if fromOriginator || payloadLength != 0 || peer.state != .synSent {
                    endpoint.set(.partial)
                }
            }
        case .synSent, .synAckSent:
            if flags.fin { endpoint.set(.closed) }
            if flags.rst { endpoint.set(.reset) }
        case .established, .partial:
            if flags.syn && endpoint.state == .partial && peer.state == .inactive && !flags.ack {
                endpoint.set(.synSent)
            }
            if flags.fin && !flags.rst {
                endpoint.set(.closed)
                // FIN after the peer's FIN+RST: the peer's RST was part of a normal close.
                if peer.state == .reset && peer.previous == .closed { peer.set(.closed) }
            }
            if flags.rst { endpoint.set(.reset) }
        case .closed:
            // After a FIN exchange a RST changes nothing.
            if flags.rst && peer.state != .closed { endpoint.set(.reset) }
        case .reset:
            break
        }
    }

    /// Zeek's history letters for the originator, reduced to what RSTOS0 needs.
    private mutating func updateHistory(flags: TCPFlagsView, payloadLength: Int) {
        guard !originatorHasReset else { return }
        let controlBits = (flags.syn ? 1 : 0) + (flags.fin ? 1 : 0) + (flags.rst ? 1 : 0)
        if controlBits > 1 {
            originatorHistoryAllowsRSTOS0 = false      // 'I' or 'Q'
        } else if flags.rst {
            originatorHasReset = true                  // 'R': the history test is decided
        } else if flags.fin {
            originatorHistoryAllowsRSTOS0 = false      // 'F'
        } else if flags.syn {
            if flags.ack { originatorHistoryAllowsRSTOS0 = false }  // 'H' from the originator
        } else if payloadLength == 0 && flags.ack {
            originatorHistoryAllowsRSTOS0 = false      // 'A'
        }
    }

    /// True when both sides closed or either side reset: the flow is over, apart from stragglers.
    @inline(__always)  // read twice per packet
    var isClosed: Bool {
        client == .reset || server == .reset || (client == .closed && server == .closed)
    }

    /// Zeek's conn_state for TCP, given each side's payload byte count.
    func connState(clientBytes: Int64, serverBytes: Int64) -> ConnState {
        let clientInactive = client.isInactiveOrPartial
        let serverInactive = server.isInactiveOrPartial
        if server == .reset {
            if client == .synSent || client == .synAckSent || (client == .reset && clientBytes == 0 && serverBytes == 0) {
                return .REJ
            }
            return clientInactive ? .RSTRH : .RSTR
        }
        if client == .reset {
            if serverInactive {
                return originatorHistoryAllowsRSTOS0 && originatorHasReset ? .RSTOS0 : .OTH
            }
            return .RSTO
        }
        if server == .closed && client == .closed { return .SF }
        if client == .closed { return serverInactive ? .SH : .S2 }
        if server == .closed { return clientInactive ? .SHR : .S3 }
        if client == .synSent && server == .inactive { return .S0 }
        if client == .established && server == .established { return .S1 }
        return .OTH
    }
}

/// The four TCP flags the state machine reads, unpacked once per packet.
struct TCPFlagsView: Sendable {
    var syn: Bool
    var ack: Bool
    var fin: Bool
    var rst: Bool

    @inline(__always)
    init(_ flags: TCPFlags) {
        // RFC 9293 §3.1 control bits, as masks: `TCPFlags.syn` and friends are globals of another
        // module, read through an accessor call each, per packet.
        syn = flags.rawValue & 0x002 != 0
        ack = flags.rawValue & 0x010 != 0
        fin = flags.rawValue & 0x001 != 0
        rst = flags.rawValue & 0x004 != 0
    }

    init(syn: Bool = false, ack: Bool = false, fin: Bool = false, rst: Bool = false) {
        self.syn = syn; self.ack = ack; self.fin = fin; self.rst = rst
    }
}
