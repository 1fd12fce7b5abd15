import Testing
@testable import Flows
import Decode

// DNS transactions over UDP and TCP, through the engine with the fake DNS parser.

@Suite struct DNSTransactionTests {
    let client = Endpoint(address: Addresses.instance, port: 33_333)
    let resolver = Endpoint(address: Addresses.vpcResolver, port: 53)
    let name = "ssm.ap-northeast-1.amazonaws.com"

    @Test func udpQueryAndResponse() throws {
        let h = EngineHarness()
        let query = h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 0x1234, name: name))
        h.wire.advance(0.020)
        let response = h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 0x1234, name: name, answers: [
            ("ssm.ap-northeast-1.amazonaws.com", .cname("vpce-1.ssm.ap-northeast-1.vpce.amazonaws.com")),
            ("vpce-1.ssm.ap-northeast-1.vpce.amazonaws.com", .a(0x0A00_0A0A)),
        ]))
        let result = h.finish()
        let t = try #require(result.dns.first)
        #expect(result.dns.count == 1)
        #expect(t.client == client.address && t.clientPort == 33_333)
        #expect(t.resolver == resolver.address && t.resolverPort == 53)
        #expect(t.transport == .udp && t.id == 0x1234 && t.type == DNSType.a)
        #expect(t.name == DNSName(name))
        #expect(t.query == query && t.response == response)
        #expect(t.querySends == 1 && !t.timedOut && !t.responseOnly)
        #expect(t.rcode == DNSRcode.noError)
        #expect(t.answers.count == 2)
        #expect(t.addresses == [Addresses.endpointPrivate])
        #expect(abs((t.rttMilliseconds ?? 0) - 21) < 0.001)
        #expect(result.counters.dnsMessages == 2)
    }

    @Test func retransmittedQueryCountsSends() throws {
        let h = EngineHarness()
        let first = h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 7, name: name))
        h.wire.advance(1)
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 7, name: name))
        h.wire.advance(4.5)                        // 5.5 s after the first send, 4.5 s after the last
        h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 7, name: name, answers: [(name, .a(0xCB00_710A))]))
        h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 7, name: name, answers: [(name, .a(0xCB00_710A))]))
        let result = h.finish()
        #expect(result.dns.count == 1)
        let t = try #require(result.dns.first)
        #expect(t.querySends == 2 && t.query == first && !t.timedOut)
        #expect(result.counters.dnsDuplicateResponses == 1)
        #expect(result.counters.dnsUnmatchedResponses == 0)
    }

    @Test func timeoutWithinTheCaptureThenLateResponseIsResponseOnly() throws {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 9, name: name))
        h.wire.advance(6)
        h.wire.udp(Endpoint(address: Addresses.instance, port: 1), Endpoint(address: Addresses.otherPublic, port: 9), payload: [])
        h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 9, name: name, answers: [(name, .a(1))]))
        let result = h.finish()
        #expect(result.dns.count == 2)
        #expect(result.dns[0].timedOut && result.dns[0].response == nil && result.dns[0].rcode == nil)
        #expect(result.dns[1].responseOnly && result.dns[1].querySends == 0 && result.dns[1].rttMilliseconds == nil)
        #expect(result.counters.dnsUnmatchedResponses == 1)
    }

    @Test func unansweredAtCaptureEndTimesOut() throws {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 10, name: name))
        h.wire.advance(0.5)
        let result = h.finish()
        let t = try #require(result.dns.first)
        #expect(t.timedOut && t.response == nil)
    }

    @Test func responseWithoutQueryIsResponseOnly() throws {
        let h = EngineHarness()
        let seen = h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 11, name: name, answers: [(name, .a(0xCB00_710A))]))
        let result = h.finish()
        let t = try #require(result.dns.first)
        #expect(t.responseOnly && t.response == seen && t.addresses == [Addresses.publicService])
        #expect(t.client == client.address && t.resolver == resolver.address)
    }

    @Test func mismatchedIdDoesNotMatch() throws {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 100, name: name))
        h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 101, name: name, answers: [(name, .a(1))]))
        let result = h.finish()
        #expect(result.dns.count == 2)
        #expect(result.dns.contains { $0.id == 100 && $0.timedOut })
        #expect(result.dns.contains { $0.id == 101 && $0.responseOnly })
    }

    @Test func responseFromAnotherResolverDoesNotMatch() throws {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 5, name: name))
        h.wire.udp(Endpoint(address: Addresses.adResolver, port: 53), client,
                   payload: Build.dnsResponse(id: 5, name: name, answers: [(name, .a(1))]))
        let result = h.finish()
        #expect(result.dns.filter(\.timedOut).count == 1)
        #expect(result.dns.filter(\.responseOnly).count == 1)
    }

    @Test func differentQuestionSameIdDoesNotMatch() throws {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 5, name: name, type: DNSType.a))
        h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 5, name: name, type: DNSType.aaaa))
        let result = h.finish()
        #expect(result.dns.filter(\.timedOut).count == 1 && result.dns.filter(\.responseOnly).count == 1)
    }

    @Test func errorResponseWithoutAnswersIsAnswered() throws {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 3, name: "nope.example"))
        h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 3, name: "nope.example", rcode: UInt8(DNSRcode.nxDomain)))
        let t = try #require(h.finish().dns.first)
        #expect(t.rcode == DNSRcode.nxDomain && !t.timedOut && t.answers.isEmpty && t.addresses.isEmpty)
    }

    @Test func multicastDNSAndLLMNRAreIgnored() {
        let h = EngineHarness()
        h.wire.udp(Endpoint(address: Addresses.instance, port: 5353), Endpoint(address: .v4(0xE000_00FB), port: 5353),
                   payload: Build.dnsQuery(id: 0, name: "printer.local"))
        h.wire.udp(Endpoint(address: Addresses.instance, port: 50_000), Endpoint(address: .v4(0xE000_00FC), port: 5355),
                   payload: Build.dnsQuery(id: 1, name: "host"))
        let result = h.finish()
        #expect(result.dns.isEmpty && result.counters.dnsMessages == 0)
    }

    @Test func malformedMessagesAreCounted() {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: [0x00, 0x01, 0x02])
        let result = h.finish()
        #expect(result.dns.isEmpty && result.counters.dnsMalformed == 1)
    }

    @Test func resultsAreOrderedByQueryTime() {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 1, name: "a.example"))   // times out at the end
        h.wire.udp(client, resolver, payload: Build.dnsQuery(id: 2, name: "b.example"))
        h.wire.udp(resolver, client, payload: Build.dnsResponse(id: 2, name: "b.example"))
        #expect(h.finish().dns.map(\.id) == [1, 2])
    }

    // MARK: - TCP

    @Test func tcpMessageSplitOverThreeSegmentsAndTwoMessagesInOneSegment() throws {
        let h = EngineHarness()
        let s = h.session(client: Endpoint(address: Addresses.instance, port: 44_000),
                          server: Endpoint(address: Addresses.vpcResolver, port: 53))
        s.handshake()
        let q1 = Build.tcpFramed(Build.dnsQuery(id: 21, name: name))
        let q2 = Build.tcpFramed(Build.dnsQuery(id: 22, name: name, type: DNSType.aaaa))
        let pieces = split(q1, at: [1, 20])                            // the length prefix itself is split
        s.clientSends(pieces[0]); s.clientSends(pieces[1])
        let q1Done = s.clientSends(pieces[2] + q2)                     // completes q1 and carries all of q2
        let r1 = Build.tcpFramed(Build.dnsResponse(id: 21, name: name, answers: [(name, .a(0x0A00_0A0A))]))
        let r2 = Build.tcpFramed(Build.dnsResponse(id: 22, name: name, type: DNSType.aaaa))
        let responses = r1 + r2
        let rPieces = split(responses, at: [r1.count + 3])
        s.serverSends(rPieces[1], at: r1.count + 3)                    // out of order
        let bothDone = s.serverSends(rPieces[0], at: 0)
        s.closeNormally()
        let result = h.finish()
        #expect(result.dns.count == 2)
        let t1 = try #require(result.dns.first { $0.id == 21 })
        let t2 = try #require(result.dns.first { $0.id == 22 })
        #expect(t1.transport == .tcp && t1.query == q1Done && t1.response == bothDone)
        #expect(t1.addresses == [Addresses.endpointPrivate])
        #expect(t2.type == DNSType.aaaa && t2.response == bothDone && !t2.timedOut)
        #expect(result.flows.first?.state == .SF)
        #expect(result.flows.first?.clientHello == nil)
    }

    @Test func realDnsmasqAnswersOverUDPAndTCP() throws {
        let h = EngineHarness()
        h.wire.udp(client, resolver, payload: try fixture("dns-udp-query"))
        h.wire.udp(resolver, client, payload: try fixture("dns-udp-response"))
        let s = h.session(client: Endpoint(address: Addresses.instance, port: 44_001),
                          server: Endpoint(address: Addresses.vpcResolver, port: 53))
        s.handshake()
        let clientStream = try fixture("dns-tcp-client-stream")
        for piece in split(clientStream, at: [1, 30]) { s.clientSends(piece) }
        let serverStream = try fixture("dns-tcp-server-stream")
        for piece in split(serverStream, at: [2, 50]) { s.serverSends(piece) }
        let result = h.finish()
        #expect(result.dns.count == 2)
        let udp = try #require(result.dns.first { $0.transport == .udp })
        #expect(udp.name == DNSName("ssm.example.internal") && udp.type == DNSType.a)
        #expect(udp.answers.count == 2)                               // the CNAME and the A record
        #expect(udp.addresses == [Addresses.publicService])
        let tcp = try #require(result.dns.first { $0.transport == .tcp })
        #expect(tcp.name == DNSName("ssm.ap-northeast-1.amazonaws.com") && tcp.type == DNSType.aaaa)
        #expect(tcp.addresses == [.v6(high: 0x2001_0db8_0000_0000, low: 0x10)])
    }
}

@Suite struct DNSStreamFramerTests {
    @Test func framesAcrossAnyChunking() {
        let messages: [[UInt8]] = [[1, 2, 3], [4], [UInt8](repeating: 7, count: 300)]
        let stream = messages.flatMap { Build.tcpFramed($0) }
        for chunk in [1, 2, 3, 5, 64, stream.count] {
            var framer = DNSStreamFramer()
            var seen: [[UInt8]] = []
            var index = 0
            while index < stream.count {
                let end = min(stream.count, index + chunk)
                Array(stream[index..<end]).withUnsafeBytes { framer.feed($0) { seen.append(Array($0)) } }
                index = end
            }
            #expect(seen == messages, "chunk size \(chunk)")
            #expect(framer.isAtMessageBoundary)
        }
    }

    @Test func oversizedMessagesAreSkippedAndCounted() {
        var framer = DNSStreamFramer(maxMessageBytes: 4)
        var seen: [[UInt8]] = []
        let stream = Build.tcpFramed([1, 2, 3, 4, 5, 6]) + Build.tcpFramed([9]) + [0, 0] + Build.tcpFramed([8, 8])
        stream.withUnsafeBytes { framer.feed($0) { seen.append(Array($0)) } }
        #expect(seen == [[9], [8, 8]])
        #expect(framer.oversizedMessages == 1 && framer.emptyMessages == 1)
    }

    @Test func everyPrefixOfARealStreamIsSafe() throws {
        let stream = try fixture("dns-tcp-server-stream")
        for length in 0...stream.count {
            var framer = DNSStreamFramer()
            var count = 0
            Array(stream[0..<length]).withUnsafeBytes { framer.feed($0) { _ in count += 1 } }
            #expect(count == (length == stream.count ? 1 : 0))
        }
    }
}
