import Testing
@testable import Flows
import Decode

// Hostile TCP sequencing that ReassemblyTests does not already cover: disorder and overlap across the
// 2^32 wrap at once, data from before the stream start, a segment half the sequence space away,
// a SYN flood that names nothing, and the retained-flow cap for such flows.

@Suite struct HostileFlowsTests {
    let hello = Build.clientHello(sni: "ssm.ap-northeast-1.amazonaws.com", padTo: 300)

    private func onlyFlow(_ h: EngineHarness) throws -> TCPFlowRecord {
        let result = h.finish()
        #expect(result.flows.count == 1)
        return try #require(result.flows.first)
    }

    // MARK: - Sequence numbers

    @Test func outOfOrderOverlappingSegmentsAcrossTheWrap() throws {
        let h = EngineHarness()
        // Stream byte 127 is at sequence 0: every piece below straddles or sits next to the wrap.
        let s = h.session(clientISN: 0xFFFF_FF80)
        s.handshake()
        s.clientSends(Array(hello[100..<200]), at: 100)                    // held ahead, across the wrap
        s.clientSends(Array(hello[150...]), at: 150)                       // overlaps the held tail, extends it
        let filler = s.clientSends(Array(hello[0..<120]), at: 0)           // fills the gap, overlaps 100..<120
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.serverName == Array(hello[9...]))
        #expect(flow.clientHelloCompleted == filler)
        #expect(flow.clientHelloSegments == 3)
    }

    @Test func bytesFromBeforeTheStreamStartAreTrimmed() throws {
        let h = EngineHarness()
        let s = h.session(clientISN: 5)                                    // the stream starts at seq 6
        s.handshake()
        // 100 bytes that would sit before the SYN's sequence (wrapping below 0), then the hello's
        // first 100 bytes: only the part from the stream start on may be used.
        let early = [UInt8](repeating: 0xEE, count: 100) + Array(hello[0..<100])
        s.clientSends(early, at: -100)
        s.clientSends(Array(hello[100...]), at: 100)
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.serverName == Array(hello[9...]))
    }

    @Test func segmentHalfTheSequenceSpaceAwayIsNotTakenAsData() throws {
        let h = EngineHarness()
        let s = h.session(clientISN: 0x7FFF_FFF0)
        s.handshake()
        // 2^31 ahead is as far "behind" as ahead: serial-number arithmetic (RFC 1982) cannot order
        // it; 2^31 - 1 and 2^30 ahead are past any TCP window (RFC 7323 §2.3). None may end the
        // collection of the real first bytes as a window overflow would.
        s.clientSends([UInt8](repeating: 0xAB, count: 64), at: 1 << 31)
        s.clientSends([UInt8](repeating: 0xCD, count: 64), at: (1 << 31) - 1)
        s.clientSends([UInt8](repeating: 0xEF, count: 64), at: 1 << 30)
        s.clientSends(hello, at: 0)
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.serverName == Array(hello[9...]))
        #expect(flow.clientFirstBytesCollected == hello.count)
        #expect(!flow.firstBytesLimitHit)
    }

    // MARK: - A SYN flood and the retained-flow caps

    @Test func synFloodKeepsOnlyTheCapOfFlowsWithoutAHandshake() throws {
        var limits = FlowLimits()
        limits.maxActiveFlows = 64
        limits.maxRetainedFlows = 1_000
        limits.maxRetainedFlowsWithoutHandshake = 100
        let h = EngineHarness(limits: limits)
        for index in 0..<500 {
            let client = Endpoint(address: .v4(0x0A00_0000 | UInt32(index + 1)), port: UInt16(1_024 + index))
            h.session(client: client, clientISN: UInt32(index) &* 2_654_435_761).syn()
        }
        // One real exchange after the flood: a flow with a ClientHello is not held to the smaller cap.
        let s = h.session(client: Endpoint(address: .v4(0x0A10_0001), port: 40_000))
        s.handshake()
        s.clientSends(hello)
        let result = h.finish()
        #expect(result.counters.flowsSeen == 501)
        #expect(result.counters.flowsEvictedAtLimit > 0)
        #expect(result.flows.filter { $0.clientHello == nil }.count == 100)
        #expect(result.flows.filter { $0.clientHello != nil }.count == 1)
        #expect(result.counters.flowsNotRetained == 400)
    }

    @Test func theGeneralCapStillAppliesBelowTheHandshakeCap() throws {
        var limits = FlowLimits()
        limits.maxRetainedFlows = 10
        limits.maxRetainedFlowsWithoutHandshake = 100
        let h = EngineHarness(limits: limits)
        for index in 0..<30 {
            h.session(client: Endpoint(address: .v4(0x0A00_0000 | UInt32(index + 1)), port: 2_000)).syn()
        }
        let result = h.finish()
        #expect(result.flows.count == 10)
        #expect(result.counters.flowsNotRetained == 20)
    }
}
