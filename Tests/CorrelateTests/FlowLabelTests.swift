@testable import Correlate
import Testing

@Suite struct FlowLabelTests {
    let endpoint = "10.0.1.100"
    let publicAddress = "203.0.113.10"
    let labeler = FlowLabeler(captureEnd: time(60))

    private func label(_ record: TCPFlowRecord) -> (FlowLabel, FlowPath) {
        let classifier = AddressClassifier(vpc: VPCContext(cidrs: [], inferred: false))
        let path = labeler.path(of: record, serverClass: classifier.classify(record.server))
        return (labeler.label(of: record, path: path), path)
    }

    @Test func establishedToAPrivateAddressIsVPCEndpoint() {
        #expect(label(synOnly(to: endpoint, at: 1).established(ssmName)) == (.vpcEndpoint, .vpcEndpoint))
    }

    @Test func establishedToAPublicAddressIsNATInternet() {
        #expect(label(synOnly(to: publicAddress, at: 1).established(ssmName)) == (.natInternet, .internet))
    }

    @Test func establishedThroughCONNECTIsProxy() {
        #expect(label(synOnly(to: "10.0.0.50", port: 3128, at: 1).established(ssmName).viaProxy(ssmName)) == (.proxy, .proxy))
        // A proxy that refuses the CONNECT.
        #expect(label(synOnly(to: "10.0.0.50", port: 3128, at: 1).helloSent(nil).viaProxy(ssmName, status: 403)) == (.refused, .proxy))
    }

    @Test func clientResetAfterTheServerFinishedIsStillEstablished() {
        var record = synOnly(to: endpoint, at: 1).established(ssmName)
        record.clientFin = nil
        record.serverFin = nil
        record.clientReset = at(3)
        record.state = .RSTO
        #expect(label(record).0 == .vpcEndpoint)
    }

    @Test func serverResetAfterTheHandshakeIsReset() {
        #expect(label(synOnly(to: endpoint, at: 1).established(ssmName).serverReset(after: 30)).0 == .reset)
        // A reset after both FINs is a close, not an abort.
        var closed = synOnly(to: endpoint, at: 1).established(ssmName)
        closed.serverReset = at(3.5)
        #expect(label(closed).0 == .vpcEndpoint)
    }

    @Test func unansweredSYNWithRetransmitsIsTimeout() {
        #expect(label(synOnly(to: publicAddress, at: 1).retransmitted(3)) == (.timeout, .internet))
        #expect(label(synOnly(to: endpoint, at: 1).retransmitted(1)) == (.timeout, .vpcEndpoint))
    }

    @Test func loneSYNOlderThanThreeSecondsIsTimeoutYoungerIsIncomplete() {
        #expect(label(synOnly(to: endpoint, at: 50)).0 == .timeout)
        #expect(label(synOnly(to: endpoint, at: 58)).0 == .incomplete)
        // The client giving up (RST after an unanswered SYN) is a timeout even when recent.
        #expect(label(synOnly(to: endpoint, at: 59).clientGaveUp(after: 0.5)).0 == .timeout)
    }

    @Test func synAnsweredByRSTIsRefused() {
        #expect(label(synOnly(to: endpoint, at: 1).rejected()) == (.refused, .vpcEndpoint))
    }

    @Test func alertIsTLSFailed() {
        #expect(label(synOnly(to: endpoint, at: 1).alerted(ssmName)).0 == .tlsFailed)
    }

    @Test func serverResetAnsweringAOneSegmentClientHelloIsReset() {
        // Lab 06b: an SNI-filtering firewall answers the ClientHello with RST.
        #expect(label(synOnly(to: endpoint, at: 1).helloSent(ssmName).serverReset(after: 0.05)).0 == .reset)
        // A split ClientHello followed by a reset is the dropped-large-ClientHello signature instead.
        let split = synOnly(to: endpoint, at: 1).helloSent(ssmName, segments: 2).serverReset(after: 0.05)
        #expect(label(split).0 == .tlsFailed)
        #expect(FlowLabeler.isDroppedSplitClientHello(split, label: .tlsFailed))
    }

    @Test func resetOrCloseBeforeTheServerFinishedIsTLSFailed() {
        #expect(label(synOnly(to: endpoint, at: 1).helloSent(ssmName).clientGaveUp(after: 10)).0 == .tlsFailed)
        var serverHelloThenFin = synOnly(to: endpoint, at: 1).helloSent(ssmName)
        serverHelloThenFin.tls = .serverHelloSeen
        serverHelloThenFin.serverFin = at(1.5)
        #expect(label(serverHelloThenFin).0 == .tlsFailed)
    }

    @Test func splitClientHelloFollowedBySilenceIsTLSFailedAndFlagged() {
        let record = synOnly(to: publicAddress, at: 10).helloSent(ssmName, segments: 2)
        #expect(label(record).0 == .tlsFailed)
        #expect(FlowLabeler.splitClientHello(record))
        #expect(FlowLabeler.isDroppedSplitClientHello(record, label: .tlsFailed))
        // The same but just before capture end: not decided yet.
        #expect(label(synOnly(to: publicAddress, at: 58.5).helloSent(ssmName, segments: 2)).0 == .incomplete)
    }

    @Test func captureEndingMidHandshakeIsIncomplete() {
        var synAckOnly = synOnly(to: endpoint, at: 59.5)
        synAckOnly.synAck = at(59.501)
        synAckOnly.state = .S1
        #expect(label(synAckOnly).0 == .incomplete)
        var midstream = TCPFlowRecord(client: ip(instance), clientPort: 50_000, server: ip(endpoint), serverPort: 443, first: at(0))
        midstream.partial = true
        midstream.packetsToServer = 3
        #expect(label(midstream).0 == .incomplete)
    }

    @Test func nonTLSOn443WithDataBothWaysIsLabelledByPath() {
        var record = synOnly(to: publicAddress, at: 1)
        record.synAck = at(1.001)
        record.bytesToServer = 200
        record.bytesToClient = 900
        record.clientFin = at(2)
        record.serverFin = at(2.001)
        record.state = .SF
        #expect(label(record) == (.natInternet, .internet))
        // A flow seen mid-stream carries data both ways, but without its handshake it proves nothing
        // (lab 16: an ssmmessages channel opened before the capture).
        var midstream = TCPFlowRecord(client: ip(instance), clientPort: 50_000, server: ip(endpoint), serverPort: 443, first: at(0))
        midstream.partial = true
        midstream.packetsToServer = 3
        midstream.packetsToClient = 3
        midstream.bytesToServer = 100
        midstream.bytesToClient = 100
        #expect(label(midstream).0 == .incomplete)
    }

    @Test func tcpUpThenResetWithoutTLSIsReset() {
        var record = synOnly(to: endpoint, at: 1)
        record.synAck = at(1.001)
        record.serverReset = at(1.002)
        record.state = .RSTR
        #expect(label(record).0 == .reset)
    }
}

@Suite struct FlowLabelServerSpokeTests {
    @Test func serverPayloadWithoutARecordedSYNACKMeansTCPIsUp() {
        // Seen in nDPI's tls_multiple_synack_different_seq.pcapng: a ServerHello but no SYN-ACK taken.
        var record = synOnly(to: "203.0.113.10", at: 1).established("s3.eu-west-1.amazonaws.com")
        record.synAck = nil
        record.state = .OTH
        let labeler = FlowLabeler(captureEnd: time(60))
        #expect(labeler.label(of: record, path: .internet) == .natInternet)
        var alerted = synOnly(to: "203.0.113.10", at: 1).alerted(ssmName)
        alerted.synAck = nil
        #expect(labeler.label(of: alerted, path: .internet) == .tlsFailed)
    }
}
