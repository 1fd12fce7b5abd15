import Testing
@testable import Flows
import Decode

// The public FlowTracker with the Decode stage's real parsers, on streams recorded on loopback
// (Fixtures/record-loopback.sh: curl and chromium against openssl s_server, curl through tinyproxy,
// dig against dnsmasq).
//
// These ran behind "parser available" guards while the parsers were stubs in this worktree; with
// the Decode stage merged they run unconditionally.

@Suite struct FlowsWithRealParsersTests {
    private func replay(_ clientStream: [UInt8], _ serverStream: [UInt8], helloEnd: Int, clientSplit: [Int],
                        server: Endpoint = Endpoint(address: Addresses.publicService, port: 443),
                        serverFirst: Int = 0) throws -> TCPFlowRecord {
        let h = TrackerHarness()
        let s = h.session(server: server)
        s.handshake()
        if serverFirst > 0 {
            // CONNECT: request, proxy response, then the tunnel.
            s.clientSends(Array(clientStream[0..<clientSplit[0]]))
            s.serverSends(Array(serverStream[0..<serverFirst]))
        }
        let start = serverFirst > 0 ? clientSplit[0] : 0
        let cuts = (serverFirst > 0 ? Array(clientSplit.dropFirst()) : clientSplit).map { $0 - start }
        for piece in split(Array(clientStream[start..<helloEnd]), at: cuts) { s.clientSends(piece) }
        for piece in split(Array(serverStream[serverFirst...]), at: [90, 400]) { s.serverSends(piece) }
        s.clientSends(Array(clientStream[helloEnd...]))
        s.closeNormally()
        return try #require(h.finish().flows.first)
    }

    private func recordEnd(_ bytes: [UInt8], at offset: Int = 0) -> Int {
        offset + 5 + (Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4]))
    }

    @Test func chromiumPostQuantumClientHelloSplitInTwoSegments() throws {
        let client = try fixture("chromium-pq-client-stream")
        let helloEnd = recordEnd(client)
        let flow = try replay(client, try fixture("chromium-pq-server-stream"), helloEnd: helloEnd, clientSplit: [1_448])
        let hello = try #require(flow.clientHello)
        #expect(hello.offersPostQuantum)
        #expect(hello.keyShareGroups.contains(0x11EC))
        #expect(hello.recordBytes == helloEnd)
        #expect(flow.clientHelloSegments == 2)
        #expect(flow.state == .SF)
        #expect(flow.tls == .established)
        #expect(flow.serverHello?.negotiatedVersion == 0x0304)
    }

    @Test func chromiumClientHelloOneBytePerSegment() throws {
        let client = try fixture("chromium-pq-client-stream")
        let helloEnd = recordEnd(client)
        let flow = try replay(client, try fixture("chromium-pq-server-stream"), helloEnd: helloEnd,
                              clientSplit: Array(1..<helloEnd))
        #expect(flow.clientHello?.offersPostQuantum == true)
        #expect(flow.clientHelloSegments == helloEnd)
    }

    @Test func curlTLS13() throws {
        let client = try fixture("curl-tls13-client-stream")
        let server = try fixture("curl-tls13-server-stream")
        let helloEnd = recordEnd(client)
        let flow = try replay(client, server, helloEnd: helloEnd, clientSplit: [100])
        #expect(flow.clientHello?.supportedVersions.contains(0x0304) == true)
        #expect(flow.clientHelloSegments == 2)
        #expect(flow.tls == .established)
        #expect(flow.serverHello?.negotiatedVersion == 0x0304)
        #expect(flow.establishedAt != nil)
    }

    @Test func curlTLS12() throws {
        let client = try fixture("curl-tls12-client-stream")
        let server = try fixture("curl-tls12-server-stream")
        let helloEnd = recordEnd(client)
        let flow = try replay(client, server, helloEnd: helloEnd, clientSplit: [])
        #expect(flow.clientHello != nil && flow.clientHelloSegments == 1)
        #expect(flow.serverHello?.negotiatedVersion == 0x0303)
        #expect(flow.tls == .established)
    }

    @Test func curlThroughTinyproxyConnect() throws {
        let client = try fixture("curl-connect-client-stream")
        let server = try fixture("curl-connect-server-stream")
        let requestEnd = try #require(client.withUnsafeBytes { HTTPHeaderBlock.end(in: $0, from: 0) })
        let responseEnd = try #require(server.withUnsafeBytes { HTTPHeaderBlock.end(in: $0, from: 0) })
        let helloEnd = recordEnd(client, at: requestEnd)
        let flow = try replay(client, server, helloEnd: helloEnd, clientSplit: [requestEnd, requestEnd + 200],
                              server: Endpoint(address: Addresses.otherPublic, port: 18_888), serverFirst: responseEnd)
        #expect(flow.connect?.port == 18_443)
        #expect(flow.connect?.host == Array("127.0.0.1".utf8))
        #expect(flow.connectStatus == 200)
        #expect(flow.clientHello?.recordBytes == helloEnd - requestEnd)
        #expect(flow.clientHelloSegments == 2)
        #expect(flow.tls == .established)
    }

    @Test func dnsmasqOverUDPAndTCP() throws {
        let query = try fixture("dns-udp-query")
        let h = TrackerHarness()
        let client = Endpoint(address: Addresses.instance, port: 33_000)
        let resolver = Endpoint(address: Addresses.vpcResolver, port: 53)
        h.wire.udp(client, resolver, payload: query)
        h.wire.udp(resolver, client, payload: try fixture("dns-udp-response"))
        let s = h.session(client: Endpoint(address: Addresses.instance, port: 33_001), server: resolver)
        s.handshake()
        for piece in split(try fixture("dns-tcp-client-stream"), at: [1, 40]) { s.clientSends(piece) }
        for piece in split(try fixture("dns-tcp-server-stream"), at: [2, 60]) { s.serverSends(piece) }
        s.closeNormally()
        let result = h.finish()
        #expect(result.dns.count == 2)
        let udp = try #require(result.dns.first { $0.transport == .udp })
        #expect(udp.name == DNSName("ssm.example.internal") && udp.answers.count == 2)
        #expect(udp.addresses == [Addresses.publicService] && udp.rcode == DNSRcode.noError)
        let tcp = try #require(result.dns.first { $0.transport == .tcp })
        #expect(tcp.type == DNSType.aaaa && tcp.addresses == [.v6(high: 0x2001_0db8_0000_0000, low: 0x10)])
    }
}
