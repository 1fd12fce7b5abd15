@testable import Correlate
import Testing

@Suite struct MatchingTests {
    let endpointA = "10.0.1.100"
    let endpointB = "10.0.1.101"

    @Test func latestAnswerBeforeTheSYNWins() {
        let dns = [
            dnsTx(ssmName, at: 1, answers: [endpointA, endpointB]),
            dnsTx(ssmName, at: 5, answers: [endpointB, endpointA]),
            dnsTx(ssmName, at: 20, answers: [endpointA]),  // after the SYN: not the match
        ]
        let a = analyze(flows: [synOnly(to: endpointA, at: 10).established(ssmName)], dns: dns)
        #expect(a.flows.count == 1)
        #expect(a.flows[0].dnsIndex == 1)
        #expect(a.dns[1].transaction.query.time == time(5))
        #expect(a.flows[0].hostname == DNSName(ssmName))
        #expect(a.flows[0].hostnameSource == .sni)
    }

    @Test func answerAtTheSameMomentAsTheSYNCounts() {
        var dns = dnsTx(ssmName, at: 1, answers: [endpointA])
        dns.response = at(2)
        let a = analyze(flows: [synOnly(to: endpointA, at: 2).established(nil)], dns: [dns])
        #expect(a.flows[0].dnsIndex == 0)
        #expect(a.flows[0].hostnameSource == .dns)
        #expect(a.flows[0].hostname == DNSName(ssmName))
    }

    @Test func expiredAnswerDoesNotMatch() {
        // TTL 10 s + 30 s slack: usable until 41 s.
        let dns = [dnsTx(ssmName, at: 1, answers: [endpointA], ttl: 10)]
        let within = analyze(flows: [synOnly(to: endpointA, at: 40).established(ssmName)], dns: dns)
        #expect(within.flows[0].dnsIndex == 0)
        let expired = analyze(flows: [synOnly(to: endpointA, at: 42).established(ssmName)], dns: dns)
        #expect(expired.flows[0].dnsIndex == nil)
        // Without slack the TTL alone decides.
        let strict = analyze(flows: [synOnly(to: endpointA, at: 12).established(ssmName)], dns: dns,
                             options: CorrelationOptions(ttlSlackSeconds: 0))
        #expect(strict.flows[0].dnsIndex == nil)
    }

    @Test func anEarlierLongerLivedAnswerMatchesWhenTheLatestExpired() {
        let dns = [
            dnsTx(ssmName, at: 1, answers: [endpointA], ttl: 300),
            dnsTx(ssmName, at: 5, answers: [endpointA], ttl: 0),
        ]
        let a = analyze(flows: [synOnly(to: endpointA, at: 100).established(ssmName)], dns: dns)
        #expect(a.flows[0].dnsIndex == 0)
    }

    @Test func answerToAnotherClientDoesNotMatch() {
        let dns = [dnsTx(ssmName, client: "10.0.1.11", at: 1, answers: [endpointA])]
        let a = analyze(flows: [synOnly(to: endpointA, at: 2).established(ssmName)], dns: dns)
        #expect(a.flows[0].dnsIndex == nil)
        #expect(a.flows[0].isSSM)  // still SSM by its SNI
    }

    @Test func answerWithoutTheServerAddressDoesNotMatch() {
        let dns = [dnsTx(ssmName, at: 1, answers: [endpointB])]
        let a = analyze(flows: [synOnly(to: endpointA, at: 2).established(nil)], dns: dns)
        #expect(a.flows.isEmpty)  // no SNI, no DNS: not SSM, not in the SSM-only output
        let all = analyze(flows: [synOnly(to: endpointA, at: 2).established(nil)], dns: dns,
                          options: CorrelationOptions(includeAllTraffic: true))
        #expect(all.flows.count == 1)
        #expect(all.flows[0].dnsIndex == nil)
        #expect(all.flows[0].hostname == nil)
        #expect(!all.flows[0].isSSM)
    }

    @Test func errorResponsesAndTimeoutsAreNotAnswers() {
        var refused = dnsTx(ssmName, at: 1, answers: [endpointA], rcode: DNSRcode.refused)
        refused.rcode = DNSRcode.refused
        let a = analyze(flows: [synOnly(to: endpointA, at: 2).established(ssmName)], dns: [refused])
        #expect(a.flows[0].dnsIndex == nil)
    }

    @Test func cnameChainAnswerNamesTheFlow() {
        let vpce = "vpce-0123456789abcdef0-abcd1234.ssm.us-east-1.vpce.amazonaws.com"
        let dns = [dnsTx(ssmName, at: 1, answers: [endpointA], cname: vpce)]
        let a = analyze(flows: [synOnly(to: endpointA, at: 2).established(nil)], dns: dns)
        #expect(a.flows[0].dnsIndex == 0)
        #expect(a.flows[0].endpoint == EndpointIdentity(service: "ssm", region: "us-east-1", partition: .aws, kind: .standard))
    }

    @Test func sniThenConnectThenDNS() {
        let proxied = synOnly(to: "10.0.0.50", port: 3128, at: 2).established(nil).viaProxy("SSM.us-east-1.amazonaws.com")
        let a = analyze(flows: [proxied])
        #expect(a.flows[0].hostname == DNSName(ssmName))
        #expect(a.flows[0].hostnameSource == .connect)
        let both = analyze(flows: [synOnly(to: "10.0.0.50", port: 3128, at: 2).established("kms.us-east-1.amazonaws.com").viaProxy(ssmName)])
        #expect(both.flows[0].hostnameSource == .sni)
        #expect(both.flows[0].endpoint?.service == "kms")
    }

    @Test func outputIndicesAreConsistentAndSortedByTime() {
        let dns = [
            dnsTx("www.example.com", at: 0.5, answers: ["198.51.100.80"]),
            dnsTx(ssmmessagesName, at: 3, answers: [endpointB]),
            dnsTx(ssmName, at: 1, answers: [endpointA]),
        ]
        let flows = [
            synOnly(to: endpointB, at: 4).established(ssmmessagesName),
            synOnly(to: "198.51.100.80", at: 0.6).established("www.example.com"),
            synOnly(to: endpointA, at: 2).established(ssmName),
        ]
        let ssmOnly = analyze(flows: flows, dns: dns)
        #expect(ssmOnly.dns.map(\.transaction.name.text) == [ssmName, ssmmessagesName])
        #expect(ssmOnly.flows.map(\.hostname?.text) == [ssmName, ssmmessagesName])
        for flow in ssmOnly.flows {
            #expect(flow.dnsIndex.map { ssmOnly.dns[$0].transaction.addresses.contains(flow.record.server) } == true)
        }
        let all = analyze(flows: flows, dns: dns, options: CorrelationOptions(includeAllTraffic: true))
        #expect(all.includesAllTraffic)
        #expect(all.dns.map(\.transaction.name.text) == ["www.example.com", ssmName, ssmmessagesName])
        #expect(all.flows.map(\.hostname?.text) == ["www.example.com", ssmName, ssmmessagesName])
        #expect(all.flows.map(\.dnsIndex) == [0, 1, 2])
        // Findings always come from the SSM part: indices point at SSM flows.
        let healthy = all.finding(.healthyVPCEndpoint)
        #expect(healthy?.flowIndices == [1, 2])
        #expect(all.finding(.healthyInternet) == nil)
    }

    @Test func nonSSMDNSMatchedByAnSSMFlowIsKeptInTheOutput() {
        // The flow's SNI is SSM but its address came from an alias the catalog does not know.
        let dns = [dnsTx("ssm-alias.corp.example", at: 1, answers: [endpointA])]
        let a = analyze(flows: [synOnly(to: endpointA, at: 2).established(ssmName)], dns: dns)
        #expect(a.dns.count == 1)
        #expect(a.flows[0].dnsIndex == 0)
        #expect(!a.dns[0].isSSM)
    }
}
