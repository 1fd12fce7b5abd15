import Testing
@testable import Flows
import Decode

// Zeek conn_state for synthesized packet sequences, through the public FlowTracker.

@Suite struct ConnStateTests {
    @Test func synOnlyIsS0WithRetransmitsCounted() throws {
        let h = TrackerHarness()
        let s = h.session()
        let first = s.syn()
        h.wire.advance(1); s.syn()
        h.wire.advance(2); s.syn()
        let result = h.finish()
        let flow = try #require(result.flows.first)
        #expect(result.flows.count == 1)
        #expect(flow.state == .S0)
        #expect(flow.synCount == 3)
        #expect(flow.synRetransmits == 2)
        #expect(flow.syns.count == 3)
        #expect(flow.syns.first == first)
        #expect(flow.openAtCaptureEnd)
        #expect(!flow.partial)
        #expect(flow.client == Addresses.instance && flow.serverPort == 443)
    }

    @Test func manySynsKeepTheFirstEightMoments() throws {
        let h = TrackerHarness()
        let s = h.session()
        for _ in 0..<11 { h.wire.advance(1); s.syn() }
        let flow = try #require(h.finish().flows.first)
        #expect(flow.synCount == 11)
        #expect(flow.syns.count == 8)
        #expect(flow.state == .S0)
    }

    @Test func synAnsweredByResetIsREJ() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.syn()
        let reset = h.wire.tcp(s.server, s.client, [.rst, .ack], seq: 0, ack: s.clientISN &+ 1)
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .REJ)
        #expect(flow.serverReset == reset)
        #expect(flow.synAck == nil)
        #expect(!flow.openAtCaptureEnd)
    }

    @Test func fullHandshakeAndFinsIsSF() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.handshake()
        s.clientSends([1, 2, 3, 4])
        s.serverSends([5, 6])
        s.closeNormally()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .SF)
        #expect(flow.synAck != nil && flow.clientFin != nil && flow.serverFin != nil)
        #expect(flow.packetsToServer == 5)   // SYN, ACK, data, FIN, last ACK
        #expect(flow.packetsToClient == 4)   // SYN-ACK, data, ACK, FIN
        #expect(flow.bytesToServer == 4 && flow.bytesToClient == 2)
        #expect(!flow.openAtCaptureEnd)
    }

    @Test func closedFlowIsEmittedAfterTheLinger() throws {
        var limits = FlowLimits()
        limits.closedLingerSeconds = 2
        let h = EngineHarness(limits: limits)
        let s = h.session()
        s.handshake(); s.closeNormally()
        #expect(h.engine.activeFlowCount == 1)
        h.wire.advance(1)
        s.ack()                                   // a straggling ACK inside the linger joins the flow
        #expect(h.engine.activeFlowCount == 1)
        h.wire.advance(3)
        h.wire.udp(Endpoint(address: Addresses.instance, port: 1), Endpoint(address: Addresses.otherPublic, port: 9), payload: [])
        #expect(h.engine.activeFlowCount == 0)
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .SF)
        #expect(flow.packetsToServer == 5)
    }

    @Test func serverResetAfterDataIsRSTR() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.handshake()
        s.clientSends([0x16, 0x03, 0x01, 0x00, 0x05, 1, 0, 0, 1, 0])
        s.serverRst()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .RSTR)
        #expect(flow.serverReset != nil && flow.clientReset == nil)
    }

    @Test func clientResetAfterEstablishmentIsRSTO() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.handshake()
        s.clientRst()
        #expect(try #require(h.finish().flows.first).state == .RSTO)
    }

    @Test func synThenClientResetIsRSTOS0() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.syn()
        h.wire.tcp(s.client, s.server, .rst, seq: s.clientISN &+ 1)
        #expect(try #require(h.finish().flows.first).state == .RSTOS0)
    }

    @Test func synAckThenServerResetIsRSTRH() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.synAck()
        s.serverRst()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .RSTRH)
        #expect(flow.client == s.client.address && flow.server == s.server.address)  // the SYN-ACK sender is the server
    }

    @Test func synThenClientFinIsSH() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.syn()
        h.wire.tcp(s.client, s.server, .fin, seq: s.clientISN &+ 1)
        #expect(try #require(h.finish().flows.first).state == .SH)
    }

    @Test func synAckThenServerFinIsSHR() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.synAck()
        s.serverFin()
        #expect(try #require(h.finish().flows.first).state == .SHR)
    }

    @Test func halfClosedStates() throws {
        let h = TrackerHarness()
        let a = h.session(client: Endpoint(address: Addresses.instance, port: 50_001))
        a.handshake(); a.clientFin()
        let b = h.session(client: Endpoint(address: Addresses.instance, port: 50_002))
        b.handshake(); b.serverFin()
        let c = h.session(client: Endpoint(address: Addresses.instance, port: 50_003))
        c.handshake()
        let states = h.finish().flows.map(\.state)
        #expect(states == [.S2, .S3, .S1])
    }

    @Test func synAndSynAckWithoutFinalAckIsS1() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.syn(); s.synAck()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .S1)
        #expect(flow.openAtCaptureEnd)
    }

    @Test func midstreamFlowIsOTHAndPartialWithClientByPort() throws {
        let h = TrackerHarness()
        let client = Endpoint(address: Addresses.instance, port: 51_000)
        let server = Endpoint(address: Addresses.publicService, port: 443)
        // First packet seen goes server → client.
        h.wire.tcp(server, client, [.ack, .psh], seq: 77_000, ack: 5_000, payload: [0x17, 0x03, 0x03, 0x00, 0x01, 0x00])
        h.wire.tcp(client, server, .ack, seq: 5_000, ack: 77_006)
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .OTH)
        #expect(flow.partial)
        #expect(flow.client == Addresses.instance && flow.clientPort == 51_000)
        #expect(flow.server == Addresses.publicService && flow.serverPort == 443)
        #expect(flow.bytesToClient == 6 && flow.packetsToServer == 1)
    }

    @Test func midstreamClientRuleCases() {
        #expect(MidstreamClientRule.senderIsClient(sourcePort: 50_000, destinationPort: 443, isSynAck: false))
        #expect(!MidstreamClientRule.senderIsClient(sourcePort: 443, destinationPort: 50_000, isSynAck: false))
        // A low client port talking to a proxy port: the service port wins over "lower".
        #expect(MidstreamClientRule.senderIsClient(sourcePort: 1_025, destinationPort: 3_128, isSynAck: false))
        #expect(MidstreamClientRule.senderIsClient(sourcePort: 40_000, destinationPort: 22, isSynAck: false))
        #expect(MidstreamClientRule.senderIsClient(sourcePort: 7_000, destinationPort: 7_000, isSynAck: false))
        #expect(!MidstreamClientRule.senderIsClient(sourcePort: 50_000, destinationPort: 443, isSynAck: true))
    }

    @Test func portReuseStartsASecondFlow() throws {
        let h = TrackerHarness()
        let first = h.session(clientISN: 1_000)
        first.handshake(); first.clientSends([1]); first.closeNormally()
        h.wire.advance(0.5)                       // inside the linger: reuse must still split
        let second = h.session(clientISN: 7_777_777)
        let secondSyn = second.syn()
        second.syn()
        let result = h.finish()
        #expect(result.flows.count == 2)
        #expect(result.flows.map(\.state) == [.SF, .S0])
        #expect(result.flows.last?.syns.first == secondSyn)
        #expect(result.flows.last?.synCount == 2)
        #expect(result.counters.flowsEndedByPortReuse == 1)
        #expect(result.counters.flowsSeen == 2)
    }

    @Test func retransmittedSynWithSameISNIsNotReuse() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.syn(); s.synAck(); s.syn()             // the client resends its SYN after the SYN-ACK
        let result = h.finish()
        #expect(result.flows.count == 1)
        #expect(result.flows.first?.synCount == 2)
    }

    @Test func ipv6FlowsAreTrackedAlike() throws {
        let h = TrackerHarness()
        let s = h.session(client: Endpoint(address: Addresses.instanceV6, port: 40_000),
                          server: Endpoint(address: .v6(high: 0x2001_0db8_0000_00ff, low: 1), port: 443))
        s.handshake(); s.closeNormally()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.state == .SF && flow.client == Addresses.instanceV6)
    }
}
