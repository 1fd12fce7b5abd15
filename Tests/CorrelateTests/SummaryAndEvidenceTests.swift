@testable import Correlate
import Testing

@Suite struct EvidenceMergeTests {
    private func items(_ prefix: Int64, _ count: Int) -> [EvidenceItem] {
        (0..<count).map { EvidenceItem(kind: .syn, moment: PacketMoment(time: time(0), ref: PacketRef(fileIndex: 0, number: prefix * 100 + Int64($0)))) }
    }

    @Test func leadingListsWholeThenRoundRobinBoundedAndDeduplicated() {
        let lead = items(1, 3), a = items(2, 3), b = items(3, 3)
        let merged = Evidence.merge([lead, a, b], whole: 1)
        #expect(merged.map(\.moment.ref.number) == [100, 101, 102, 200, 300, 201, 301, 202, 302])
        let many = Evidence.merge([items(1, 8), items(2, 8), items(3, 8)], whole: 2)
        #expect(many.count == Evidence.limit)
        #expect(many.map(\.moment.ref.number) == [100, 101, 102, 103, 104, 105, 106, 107, 200, 201])
        #expect(Evidence.merge([lead, lead], whole: 1).count == 3)
        #expect(Evidence.merge([], whole: 1).isEmpty)
        #expect(Evidence.merge([[], a], whole: 1).count == 3)
    }

    @Test func flowEvidenceFollowsTheLabel() {
        let a = analyze(flows: [synOnly(to: "10.0.1.100", at: 1).retransmitted(2).clientGaveUp(after: 10)],
                        options: CorrelationOptions(includeAllTraffic: true))
        #expect(a.flows.first?.label == .timeout)
        let kinds = a.flows.first.map { Evidence.items(for: $0, index: 0).map(\.kind) }
        #expect(kinds == [.syn, .synRetransmit, .synRetransmit, .reset])
    }
}

@Suite struct ResolverSummaryTests {
    @Test func countsPerResolver() {
        var other = dnsTx("www.example.com", resolver: adResolver, at: 3, answers: ["198.51.100.1"])
        other.resolverPort = 5353
        let dns = [
            dnsTx(ssmName, at: 1, answers: ["10.0.1.100"]),
            dnsTx(ssmmessagesName, at: 1.1, rcode: DNSRcode.servFail),
            dnsTx(ec2messagesName, at: 1.2, timedOut: true),
            dnsTx(ssmName, resolver: adResolver, at: 2, answers: ["203.0.113.10"]),
            other,
        ]
        let a = analyze(dns: dns, options: CorrelationOptions(vpcCIDRs: [net("10.0.0.0/16")]))
        let vpc = a.resolvers.first { $0.address == ip(vpcResolver) }
        #expect(vpc?.queries == 3)
        #expect(vpc?.answered == 2)
        #expect(vpc?.timeouts == 1)
        #expect(vpc?.errors == 1)
        #expect(vpc?.ssmQueries == 3)
        #expect(vpc?.resolverClass == .amazonProvided)
        let ad = a.resolvers.first { $0.address == ip(adResolver) }
        #expect(ad?.queries == 2)
        #expect(ad?.ssmQueries == 1)
        #expect(ad?.ports == [53, 5353])
        #expect(ad?.reason == .notAmazon)
        #expect(a.resolvers.map(\.address) == [ip(vpcResolver), ip(adResolver)])
    }

    @Test func responseOnlyTransactionsAreNotQueries() {
        var late = dnsTx(ssmName, at: 1, answers: ["10.0.1.100"])
        late.responseOnly = true
        let a = analyze(dns: [late])
        #expect(a.resolvers.first?.queries == 0)
        #expect(a.resolvers.first?.answered == 1)
        // Its evidence is the response alone.
        #expect(a.dns.first.map { Evidence.items(for: $0, index: 0).map(\.kind) } == [.dnsResponse])
    }
}

@Suite struct IdentityCacheTests {
    @Test func cachedAnswersEqualTheCatalogs() {
        var cache = IdentityCache()
        for name in [ssmName, "ssm.example.com", ssmName, "ssm.example.com"] {
            #expect(cache.identify(DNSName(name)) == EndpointCatalog.identify(DNSName(name)))
        }
        let answers = [DNSResourceRecord(name: DNSName("alias.corp.example"), type: DNSType.cname, recordClass: 1, ttl: 5,
                                         data: .cname(DNSName(ssmmessagesName)))]
        #expect(cache.identify(question: DNSName("alias.corp.example"), answers: answers)?.service == "ssmmessages")
    }
}
