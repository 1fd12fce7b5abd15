import Testing
@testable import Correlate
import Flows

// The Flows fields beyond the basic record: limit counters, evicted DNS queries, server
// acknowledgements and resent ClientHello segments, CONNECT frames.

private let ssmIP = "10.0.1.100"
private let ssmmessagesIP = "10.0.1.102"

/// A healthy ssm flow with its DNS answer, to which counters are added.
private func healthy(counters: FlowCounters) -> Analysis {
    analyze(flows: [synOnly(to: ssmIP, at: 2).established(ssmName)], dns: [dnsTx(ssmName, at: 1, answers: [ssmIP])],
            counters: counters)
}

extension TCPFlowRecord {
    /// The lab-11 shape: the server acknowledges `acked` client bytes (nil: only the SYN) and the
    /// client resends a ClientHello segment `resends` times, 0.2 s, 0.4 s, ... after the ClientHello.
    func resendingHello(resends: Int, acked: Int64?) -> TCPFlowRecord {
        var r = self
        let start = seconds(of: r.clientHelloCompleted ?? r.first)
        r.clientHelloRetransmissions = (0..<resends).map { at(start + 0.2 * Double($0 + 1)) }
        r.clientDuplicateSegments = resends
        r.clientBytesAckedByServer = acked
        return r
    }
}

@Suite struct FlowDetailTests {
    // MARK: - Limits and capture damage

    @Test(arguments: ["reassemblyBuffersExhausted", "dnsTCPOversized"])
    func limitCountersAreLimitsHit(_ counter: String) throws {
        var counters = FlowCounters()
        if counter == "dnsTCPOversized" { counters.dnsTCPOversized = 1 } else { counters.reassemblyBuffersExhausted = 1 }
        let a = healthy(counters: counters)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        let finding = try #require(a.finding(.limitsHit))
        #expect(finding.severity == .warning && finding.remedies == [.raiseLimits])
        #expect(a.finding(.captureIncomplete) == nil)
    }

    @Test func handshakeBytesCutBySnaplenAreCaptureIncomplete() throws {
        var counters = FlowCounters()
        counters.firstBytesTruncated = 2
        let a = healthy(counters: counters)
        let finding = try #require(a.finding(.captureIncomplete))
        #expect(finding.severity == .warning)
        #expect(finding.remedies == [.captureLonger])
        #expect(a.finding(.limitsHit) == nil)
        // The flows whose handshake was cut are named.
        var cut = synOnly(to: ssmIP, at: 2).established(ssmName)
        cut.firstBytesTruncated = true
        let b = analyze(flows: [cut], dns: [dnsTx(ssmName, at: 1, answers: [ssmIP])], counters: counters)
        #expect(b.finding(.captureIncomplete)?.flowIndices == [0])
    }

    @Test func noCountersNoNotes() {
        let a = healthy(counters: FlowCounters())
        #expect(a.finding(.limitsHit) == nil && a.finding(.captureIncomplete) == nil)
    }

    // MARK: - DNS queries evicted at the pending limit

    /// A query dropped unanswered at `maxPendingDNS`.
    private func evictedQuery(at seconds: Double) -> DNSTransaction {
        var t = dnsTx(ssmName, at: seconds)
        t.response = nil
        t.rcode = nil
        t.evicted = true
        return t
    }

    @Test func evictedQueriesAloneAreNotDNSUnreachable() throws {
        let evicted = evictedQuery(at: 1)
        var counters = FlowCounters()
        counters.dnsPendingEvicted = 1
        let a = analyze(dns: [evicted], counters: counters)
        #expect(a.finding(.dnsUnreachable) == nil)
        #expect(a.finding(.resolverFallback) == nil)
        #expect(a.verdict.code == .noSSMTraffic)
        #expect(a.finding(.limitsHit) != nil)
        #expect(a.resolvers.first?.timeouts == 0)
        // Its evidence is a query, not a query without response.
        let items = Evidence.items(for: a.dns[0], index: 0)
        #expect(items.map(\.kind) == [.dnsQuery])
    }

    @Test func evictedQueriesBesideTimeoutsStillShowTheTimeouts() throws {
        let evicted = evictedQuery(at: 1)
        let timedOut = dnsTx(ssmName, at: 2, timedOut: true)
        let a = analyze(dns: [evicted, timedOut])
        let finding = try #require(a.finding(.dnsUnreachable))
        #expect(finding.dnsIndices == [1])
    }

    // MARK: - A ClientHello that never got through (lab 11)

    @Test func unacknowledgedResentSplitClientHelloIsNamedWithItsSegments() throws {
        let names = [ssmName, ssmmessagesName]
        let addresses = [ssmIP, ssmmessagesIP]
        var flows: [TCPFlowRecord] = []
        var dns: [DNSTransaction] = []
        for (offset, (name, address)) in zip(names, addresses).enumerated() {
            let start = 1 + Double(offset) * 0.1
            dns.append(dnsTx(name, at: start, answers: [address]))
            flows.append(synOnly(to: address, at: start + 0.01).helloSent(name, segments: 2).resendingHello(resends: 5, acked: nil))
        }
        let a = analyze(flows: flows, dns: dns, end: 10)
        #expect(a.verdict == Verdict(code: .tlsFailure, severity: .error))
        let finding = try #require(a.findings.first)
        #expect(finding.unacknowledgedClientHelloFlows == [0, 1])
        #expect(Array(finding.remedies.prefix(2)) == [.disablePostQuantumKeyShare, .firewallClientHelloRule])
        let resent = finding.evidence.filter { $0.kind == .clientHelloRetransmit }
        #expect(!resent.isEmpty)
        for item in resent {
            let flow = try #require(item.flowIndex)
            #expect(a.flows[flow].record.clientHelloRetransmissions.contains(item.moment))
        }
        // The first flow's evidence comes whole: its ClientHello then its first resends.
        let first = finding.evidence.filter { $0.flowIndex == 0 }.map(\.kind)
        #expect(Array(first.prefix(1 + Evidence.retransmissionLimit))
                == [.clientHello] + Array(repeating: .clientHelloRetransmit, count: Evidence.retransmissionLimit))
    }

    @Test func partlyAcknowledgedClientHelloIsUnacknowledged() throws {
        // The server acknowledged the first segment only (1,448 of 1,620 bytes).
        let flow = synOnly(to: ssmIP, at: 2).helloSent(ssmName, segments: 2).resendingHello(resends: 3, acked: 1_448)
        let a = analyze(flows: [flow], dns: [dnsTx(ssmName, at: 1, answers: [ssmIP])])
        let finding = try #require(a.finding(.tlsFailure))
        #expect(finding.unacknowledgedClientHelloFlows == [0])
        #expect(finding.remedies.first == .disablePostQuantumKeyShare)
    }

    @Test func fullyAcknowledgedSplitClientHelloIsNoPathDrop() throws {
        // The server took the whole ClientHello and did not answer: nothing on the path dropped it.
        let flow = synOnly(to: ssmIP, at: 2).helloSent(ssmName, segments: 2).resendingHello(resends: 0, acked: 1_620)
        #expect(!FlowLabeler.isDroppedSplitClientHello(flow, label: .tlsFailed))
        let a = analyze(flows: [flow], dns: [dnsTx(ssmName, at: 1, answers: [ssmIP])])
        let finding = try #require(a.finding(.tlsFailure))
        #expect(finding.unacknowledgedClientHelloFlows.isEmpty)
        #expect(finding.remedies == [.tlsInspectionBypass, .checkProxyOrFirewall])
        #expect(!finding.evidence.contains { $0.kind == .clientHelloRetransmit })
    }

    @Test func resendsWithoutAcknowledgementDataAreStillUnacknowledged() {
        // A split ClientHello resent, no acknowledgement beyond the SYN: unacknowledged.
        let flow = synOnly(to: ssmIP, at: 2).helloSent(ssmName, segments: 2).resendingHello(resends: 1, acked: nil)
        #expect(FlowLabeler.isUnacknowledgedClientHello(flow))
        // Not resent: no evidence that it did not arrive.
        let quiet = synOnly(to: ssmIP, at: 2).helloSent(ssmName, segments: 2)
        #expect(!FlowLabeler.isUnacknowledgedClientHello(quiet))
        // Through a proxy the acknowledgements are the proxy's.
        #expect(!FlowLabeler.isUnacknowledgedClientHello(flow.viaProxy(ssmName)))
    }

    // MARK: - TLS refused by the server

    @Test func serverRefusingTheTLSVersionAsksForTLS12() throws {
        var flow = synOnly(to: ssmIP, at: 2).alerted(ssmName)
        flow.alert = TLSAlert(level: 2, description: 70)   // protocol_version (lab 13b)
        let a = analyze(flows: [flow], dns: [dnsTx(ssmName, at: 1, answers: [ssmIP])])
        let finding = try #require(a.finding(.tlsFailure))
        #expect(finding.remedies == [.allowTLS12OrLater, .checkProxyOrFirewall])
        // handshake_failure says too little to choose: the general remedies.
        flow.alert = TLSAlert(level: 2, description: 40)
        let b = analyze(flows: [flow], dns: [dnsTx(ssmName, at: 1, answers: [ssmIP])])
        #expect(b.finding(.tlsFailure)?.remedies == [.tlsInspectionBypass, .checkProxyOrFirewall])
    }

    // MARK: - CONNECT

    @Test func proxyFlowsShowTheirConnectFrame() throws {
        var flow = synOnly(to: "10.0.1.50", port: 8888, at: 2).established(ssmName).viaProxy(ssmName)
        flow.connectAt = at(2.0015)
        flow.connectResponseAt = at(2.0018)
        let a = analyze(flows: [flow])
        #expect(a.verdict.code == .healthyProxy)
        let finding = try #require(a.findings.first)
        let connect = try #require(finding.evidence.first { $0.kind == .connect })
        #expect(connect.moment == at(2.0015) && connect.flowIndex == 0)
    }

    @Test func refusedConnectShowsItsConnectFrame() throws {
        var flow = synOnly(to: "10.0.1.50", port: 8888, at: 2).viaProxy(ssmName, status: 403)
        flow.synAck = at(2.001)
        flow.connectAt = at(2.002)
        let a = analyze(flows: [flow])
        let finding = try #require(a.finding(.connectionRefused))
        #expect(finding.evidence.contains { $0.kind == .connect && $0.moment == at(2.002) })
    }
}
