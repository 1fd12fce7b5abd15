import Testing
@testable import Flows
import Decode

// Live status lines correlate a snapshot on another thread while tracking goes on: a deferred
// snapshot must be the state when it was taken, whatever the tracker does afterwards.

@Suite struct SnapshotTests {
    private let resolver = Endpoint(address: Addresses.vpcResolver, port: 53)
    private let name = "ssm.ap-northeast-1.amazonaws.com"

    /// What a status line reads of a result: every DNS transaction's and flow's outcome.
    private func summary(_ result: FlowsResult) -> [String] {
        result.dns.map { "dns \($0.id) \($0.name) sends=\($0.querySends) timedOut=\($0.timedOut) answered=\($0.response != nil)" }
            + result.flows.map { "flow \($0.clientPort) \($0.state) open=\($0.openAtCaptureEnd) toServer=\($0.bytesToServer)" }
            + ["dnsMessages \(result.counters.dnsMessages)", "flowsSeen \(result.counters.flowsSeen)"]
    }

    @Test func aDeferredSnapshotIsTheStateWhenItWasTaken() async throws {
        let h = TrackerHarness()
        for id in 0..<40 {
            let client = Endpoint(address: Addresses.instance, port: UInt16(40_000 + id))
            h.wire.udp(client, resolver, payload: Build.dnsQuery(id: UInt16(id), name: name))
            h.wire.advance(0.002)
            if id < 35 { h.wire.udp(resolver, client, payload: Build.dnsResponse(id: UInt16(id), name: name)) }
        }
        let sessions = (0..<3).map { h.session(client: Endpoint(address: Addresses.instance, port: UInt16(50_000 + $0))) }
        for session in sessions {
            session.handshake()
            session.clientSends(Build.clientHello(sni: name))
        }
        let expected = summary(h.tracker.snapshot(decodeAnomalies: DecodeAnomalies()))
        let deferred = h.tracker.deferredSnapshot(decodeAnomalies: DecodeAnomalies())

        // Tracking goes on: the pending queries are answered, more arrive, the flows close.
        for id in 35..<40 {
            h.wire.udp(resolver, Endpoint(address: Addresses.instance, port: UInt16(40_000 + id)),
                       payload: Build.dnsResponse(id: UInt16(id), name: name))
        }
        for id in 40..<60 {
            h.wire.udp(Endpoint(address: Addresses.instance, port: UInt16(40_000 + id)), resolver,
                       payload: Build.dnsQuery(id: UInt16(id), name: name))
        }
        for session in sessions { session.serverSends([0x16, 0x03, 0x03, 0x00, 0x01, 0x02]); session.closeNormally() }

        let taken = await Task.detached { deferred.result() }.value
        #expect(summary(taken) == expected)
        #expect(expected.filter { $0.hasPrefix("dns ") }.count == 40)
        #expect(expected.filter { $0.contains("timedOut=true") }.count == 5, "pending queries read as timeouts")
        #expect(expected.filter { $0.hasPrefix("flow ") && $0.contains("open=true") }.count == 3)
        let final = h.finish()
        #expect(final.dns.count == 60)
        #expect(final.flows.allSatisfy { !$0.openAtCaptureEnd })
    }
}
