import Testing
@testable import Flows
import Decode

// Every limit evicts and counts.

@Suite struct LimitsTests {
    @Test func maxActiveFlowsEvictsTheLeastRecentlyActive() throws {
        var limits = FlowLimits()
        limits.maxActiveFlows = 2
        let h = TrackerHarness(limits: limits)
        let a = h.session(client: Endpoint(address: Addresses.instance, port: 1_001)); a.syn()
        let b = h.session(client: Endpoint(address: Addresses.instance, port: 1_002)); b.syn()
        a.syn()                                                    // a is now the more recent
        let c = h.session(client: Endpoint(address: Addresses.instance, port: 1_003)); c.syn()
        let result = h.finish()
        #expect(result.counters.flowsEvictedAtLimit == 1)
        let evicted = try #require(result.flows.first { $0.clientPort == 1_002 })
        #expect(evicted.eviction == .activeFlowLimit && !evicted.openAtCaptureEnd)
        #expect(result.flows.count == 3)
        #expect(result.flows.filter(\.openAtCaptureEnd).map(\.clientPort).sorted() == [1_001, 1_003])
    }

    @Test func idleFlowsAreEvictedAndCounted() throws {
        var limits = FlowLimits()
        limits.idleTimeoutSeconds = 10
        let h = TrackerHarness(limits: limits)
        let a = h.session(client: Endpoint(address: Addresses.instance, port: 2_001))
        a.handshake()
        h.wire.advance(11)
        let b = h.session(client: Endpoint(address: Addresses.instance, port: 2_002))
        b.syn()
        let result = h.finish()
        #expect(result.counters.flowsEvictedIdle == 1)
        let idle = try #require(result.flows.first { $0.clientPort == 2_001 })
        #expect(idle.eviction == .idle && idle.state == .S1 && !idle.openAtCaptureEnd)
        #expect(result.flows.first { $0.clientPort == 2_002 }?.openAtCaptureEnd == true)
    }

    @Test func retainedFlowsAreCappedAndFilteredFlowsCounted() {
        var limits = FlowLimits()
        limits.maxRetainedFlows = 2
        let h = TrackerHarness(limits: limits) { $0.serverPort == 443 }
        for port in UInt16(3_001)...3_004 {
            h.session(client: Endpoint(address: Addresses.instance, port: port)).syn()
        }
        h.session(client: Endpoint(address: Addresses.instance, port: 3_005),
                  server: Endpoint(address: Addresses.publicService, port: 22)).syn()
        let result = h.finish()
        #expect(result.flows.count == 2)
        #expect(result.counters.flowsNotRetained == 2)
        #expect(result.counters.flowsFilteredOut == 1)
        #expect(result.counters.flowsSeen == 5)
    }

    @Test func pendingDNSIsBounded() {
        var limits = FlowLimits()
        limits.maxPendingDNS = 2
        let h = EngineHarness(limits: limits)
        let resolver = Endpoint(address: Addresses.vpcResolver, port: 53)
        for id in UInt16(1)...3 {
            h.wire.udp(Endpoint(address: Addresses.instance, port: 40_000 + id), resolver,
                       payload: Build.dnsQuery(id: id, name: "q\(id).example"))
        }
        let result = h.finish()
        #expect(result.counters.dnsPendingEvicted == 1)
        #expect(result.dns.count == 3)
        #expect(result.dns.first { $0.id == 1 }?.evicted == true)
        #expect(result.dns.filter(\.timedOut).map(\.id) == [2, 3])
    }

    @Test func retainedDNSIsCapped() {
        var limits = FlowLimits()
        limits.maxRetainedDNS = 1
        let h = EngineHarness(limits: limits)
        let resolver = Endpoint(address: Addresses.vpcResolver, port: 53)
        let client = Endpoint(address: Addresses.instance, port: 40_000)
        for id in UInt16(1)...3 {
            h.wire.udp(client, resolver, payload: Build.dnsQuery(id: id, name: "q.example"))
            h.wire.udp(resolver, client, payload: Build.dnsResponse(id: id, name: "q.example"))
        }
        let result = h.finish()
        #expect(result.dns.count == 1 && result.counters.dnsNotRetained == 2)
    }

    @Test func captureBoundsAndCounters() {
        let h = TrackerHarness()
        h.wire.at(1)
        let s = h.session()
        let start = s.syn()
        h.wire.udp(Endpoint(address: Addresses.instance, port: 9), Endpoint(address: Addresses.otherPublic, port: 9), payload: [1])
        h.wire.advance(2)
        let end = s.synAck()
        let result = h.finish()
        #expect(result.captureStart == start.time && result.captureEnd == end.time)
        #expect(result.counters.tcpPackets == 2 && result.counters.udpPackets == 1)
    }

    @Test func emptyCapture() {
        let result = TrackerHarness().finish()
        #expect(result.flows.isEmpty && result.dns.isEmpty && result.captureStart == nil)
    }

    @Test func reassemblyBuffersAreBounded() throws {
        var limits = FlowLimits()
        limits.maxReassemblyBuffers = 1
        let h = EngineHarness(limits: limits)
        let hello = Build.clientHello(sni: "ssm.example", padTo: 200)
        let a = h.session(client: Endpoint(address: Addresses.instance, port: 5_001))
        a.handshake(); a.clientSends(Array(hello[0..<100]))       // holds the only window
        let b = h.session(client: Endpoint(address: Addresses.instance, port: 5_002))
        b.handshake(); b.clientSends(hello)                       // finds none: skipped, counted
        a.clientSends(Array(hello[100...]))
        #expect(h.engine.pool.inUse == 1)                         // a still watches for a client alert
        a.serverSends(Build.serverHello + Build.changeCipherSpec + Build.encrypted)
        #expect(h.engine.pool.inUse == 0)                         // decided: windows returned
        let c = h.session(client: Endpoint(address: Addresses.instance, port: 5_003))
        c.handshake(); c.clientSends(hello)
        let result = h.finish()
        #expect(result.counters.reassemblyBuffersExhausted == 1)
        #expect(result.flows.first { $0.clientPort == 5_001 }?.clientHello != nil)
        #expect(result.flows.first { $0.clientPort == 5_002 }?.clientHello == nil)
        #expect(result.flows.first { $0.clientPort == 5_003 }?.clientHello != nil)
        #expect(h.engine.pool.inUse == 0)
    }

    @Test func snaplenCutSegmentsEndCollection() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let hello = Build.clientHello(sni: "ssm.example", padTo: 600)
        // Only the first 96 bytes of a 600-byte segment were captured.
        h.wire.tcp(s.client, s.server, [.ack, .psh], seq: s.clientISN &+ 1, ack: s.serverISN &+ 1,
                   payload: Array(hello[0..<96]), claimedLength: hello.count)
        let result = h.finish()
        let flow = try #require(result.flows.first)
        #expect(flow.firstBytesTruncated && flow.clientHello == nil && !flow.firstBytesLimitHit)
        #expect(flow.bytesToServer == 600)
        #expect(result.counters.firstBytesTruncated == 1)
        #expect(h.engine.pool.inUse == 0)
    }
}
