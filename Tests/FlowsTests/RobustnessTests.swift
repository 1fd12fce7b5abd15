import Testing
@testable import Flows
import Decode

// Hostile or random input never traps and never grows state past the limits.

/// A small deterministic generator (SplitMix64), so failures replay.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RobustnessTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomSegmentsStayWithinLimits(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        var limits = FlowLimits()
        limits.maxActiveFlows = 16
        limits.maxReassemblyBuffers = 6
        limits.maxFirstBytes = 512
        limits.maxPendingDNS = 8
        limits.maxRetainedFlows = 50
        limits.maxRetainedDNS = 20
        limits.idleTimeoutSeconds = 2
        let h = EngineHarness(limits: limits)
        let hello = Build.clientHello(sni: "ssm.example", padTo: 300)
        let pieces: [[UInt8]] = [hello, Array(hello[0..<100]), Array(hello[100...]), Build.serverHello, Build.encrypted,
                                 Build.alert(40), Array("CONNECT a:443 HTTP/1.1\r\n\r\n".utf8),
                                 Array("HTTP/1.1 200 OK\r\n\r\n".utf8), Build.tcpFramed(Build.dnsQuery(id: 1, name: "a.b")),
                                 Build.dnsResponse(id: 1, name: "a.b", answers: [("a.b", .a(1))]), []]
        let flagChoices: [TCPFlags] = [.syn, [.syn, .ack], .ack, [.ack, .psh], [.fin, .ack], [.rst, .ack], .rst, [.syn, .fin, .rst]]
        let ports: [UInt16] = [443, 53, 3128, 5432, 80]
        for _ in 0..<4_000 {
            let a = Endpoint(address: .v4(0x0A00_0000 | UInt32.random(in: 1...3, using: &rng)), port: UInt16.random(in: 40_000...40_010, using: &rng))
            let b = Endpoint(address: .v4(0xCB00_7100 | UInt32.random(in: 1...2, using: &rng)), port: ports.randomElement(using: &rng) ?? 443)
            let (from, to) = Bool.random(using: &rng) ? (a, b) : (b, a)
            var payload = pieces.randomElement(using: &rng) ?? []
            if Int.random(in: 0..<4, using: &rng) == 0, !payload.isEmpty {
                payload[Int.random(in: 0..<payload.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Int.random(in: 0..<50, using: &rng) == 0 { h.wire.advance(Double.random(in: 0...5, using: &rng)) }
            if Bool.random(using: &rng) {
                h.wire.tcp(from, to, flagChoices.randomElement(using: &rng) ?? .ack,
                           seq: UInt32.random(in: 0...2_000, using: &rng) &+ (UInt32.random(in: 0...1, using: &rng) == 0 ? 0 : 0xFFFF_FF00),
                           ack: UInt32.random(in: 0...UInt32.max, using: &rng), payload: payload,
                           claimedLength: Int.random(in: 0..<10, using: &rng) == 0 ? payload.count + 100 : nil)
            } else {
                h.wire.udp(from, to, payload: payload)
            }
            #expect(h.engine.activeFlowCount <= 16)
            #expect(h.engine.pool.inUse <= 6)
        }
        let result = h.finish()
        #expect(result.flows.count <= 50 && result.dns.count <= 20)
        #expect(h.engine.pool.inUse == 0)
        #expect(result.flows.allSatisfy { $0.packetsToServer + $0.packetsToClient >= 1 })
        #expect(zip(result.flows, result.flows.dropFirst()).allSatisfy { $0.0.first.time <= $0.1.first.time })
    }
}
