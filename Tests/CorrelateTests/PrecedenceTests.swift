@testable import Correlate
import Testing

// Mixed captures: which root cause becomes the verdict, and the warnings alongside.

@Suite struct PrecedenceTests {
    let ssmIP = "10.0.1.100", messagesIP = "10.0.1.101", ec2messagesIP = "10.0.1.102"

    @Test func failingCoreEndpointWinsOverWorkingOnes() throws {
        let dns = [
            dnsTx(ssmName, at: 1, answers: [ssmIP]),
            dnsTx(ssmmessagesName, at: 1.1, answers: [messagesIP]),
        ]
        let flows = [
            synOnly(to: ssmIP, at: 2).established(ssmName),
            synOnly(to: messagesIP, at: 2.1).retransmitted(3),
        ]
        let a = analyze(flows: flows, dns: dns)
        #expect(a.verdict == Verdict(code: .endpointUnreachable, severity: .error))
        #expect(a.findings.first?.hostnames.map(\.text) == [ssmmessagesName])
        #expect(a.finding(.healthyVPCEndpoint)?.severity == .info)
        #expect(a.codes.firstIndex(of: .healthyVPCEndpoint).map { $0 > 0 } == true)
    }

    @Test func ec2messagesFailingWhileSsmmessagesWorksIsNotTheVerdict() throws {
        let dns = [
            dnsTx(ssmName, at: 1, answers: [ssmIP]),
            dnsTx(ec2messagesName, at: 1.05, answers: ["203.0.113.12"]),
            dnsTx(ssmmessagesName, at: 1.1, answers: [messagesIP]),
        ]
        let flows = [
            synOnly(to: ssmIP, at: 2).established(ssmName),
            synOnly(to: "203.0.113.12", at: 2.05).retransmitted(3),
            synOnly(to: messagesIP, at: 2.1).established(ssmmessagesName),
        ]
        let a = analyze(flows: flows, dns: dns)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        let failure = try #require(a.finding(.noEndpointNoRoute))
        #expect(failure.severity == .warning)
        #expect(failure.hostnames.map(\.text) == [ec2messagesName])
        #expect(a.finding(.ec2messagesInUse) != nil)
    }

    @Test func ec2messagesFailingWithoutSsmmessagesIsTheVerdict() {
        let dns = [dnsTx(ssmName, at: 1, answers: [ssmIP]), dnsTx(ec2messagesName, at: 1.05, answers: [ec2messagesIP])]
        let flows = [synOnly(to: ssmIP, at: 2).established(ssmName), synOnly(to: ec2messagesIP, at: 2.05).rejected()]
        let a = analyze(flows: flows, dns: dns)
        #expect(a.verdict == Verdict(code: .connectionRefused, severity: .error))
    }

    @Test func failureThenRecoveryOfTheSameServiceIsAWarning() throws {
        let dns = [dnsTx(ssmName, at: 1, answers: [ssmIP], ttl: 300)]
        let flows = [synOnly(to: ssmIP, at: 2).retransmitted(2), synOnly(to: ssmIP, at: 20).established(ssmName)]
        let a = analyze(flows: flows, dns: dns)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        #expect(a.finding(.endpointUnreachable)?.severity == .warning)
        #expect(a.endpoints.first?.working == true)
        #expect(a.endpoints.first?.failed == 1)
    }

    @Test func optionalServiceFailingBesideAWorkingCoreIsAWarning() {
        let kms = "kms.us-east-1.amazonaws.com"
        let dns = [dnsTx(ssmName, at: 1, answers: [ssmIP]), dnsTx(kms, at: 1.1, answers: ["203.0.113.40"])]
        let flows = [synOnly(to: ssmIP, at: 2).established(ssmName), synOnly(to: "203.0.113.40", at: 2.1).retransmitted(2)]
        let a = analyze(flows: flows, dns: dns)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        #expect(a.finding(.noEndpointNoRoute)?.severity == .warning)
    }

    @Test func optionalServiceFailingWithNoCoreTrafficIsTheVerdict() {
        let s3 = "amazon-ssm-us-east-1.s3.us-east-1.amazonaws.com"
        let a = analyze(flows: [synOnly(to: "203.0.113.40", at: 2.1).retransmitted(2)], dns: [dnsTx(s3, at: 1, answers: ["203.0.113.40"])])
        #expect(a.verdict == Verdict(code: .noEndpointNoRoute, severity: .error))
    }

    @Test func rootCausePrecedenceFollowsTheDocumentedOrder() {
        // ssm: AD resolver, public answer, timeout (resolver-bypasses-endpoint);
        // ssmmessages: AmazonProvidedDNS, private answer, alert (tls-failure).
        let dns = [
            dnsTx(ssmName, resolver: adResolver, at: 1, answers: ["203.0.113.10"]),
            dnsTx(ssmmessagesName, at: 1.1, answers: [messagesIP]),
        ]
        let flows = [synOnly(to: "203.0.113.10", at: 2).retransmitted(3), synOnly(to: messagesIP, at: 2.1).alerted(ssmmessagesName)]
        let a = analyze(flows: flows, dns: dns)
        #expect(a.verdict.code == .resolverBypassesEndpoint)
        #expect(a.codes.prefix(2) == [.resolverBypassesEndpoint, .tlsFailure])
        #expect(a.finding(.tlsFailure)?.severity == .error)
        #expect(FindingRules.rootCauses == FindingCode.allCases.prefix(8).map { $0 })
    }

    @Test func resolverTimeoutThenAnotherResolverAnsweringIsResolverFallback() throws {
        let dns = [
            dnsTx(ssmName, resolver: adResolver, at: 1, timedOut: true),
            dnsTx(ssmName, at: 6, answers: [ssmIP]),
        ]
        let a = analyze(flows: [synOnly(to: ssmIP, at: 7).established(ssmName)], dns: dns)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        let fallback = try #require(a.finding(.resolverFallback))
        #expect(fallback.severity == .warning)
        #expect(fallback.resolvers == [ip(vpcResolver), ip(adResolver)])
        #expect(fallback.dnsIndices == [0, 1])
        #expect(fallback.evidence.first?.kind == .dnsTimeout)
        #expect(a.finding(.dnsUnreachable) == nil)
        #expect(a.resolvers.map(\.address) == [ip(vpcResolver), ip(adResolver)])
    }

    @Test func sameResolverRetryingIsNoFallback() {
        let dns = [dnsTx(ssmName, at: 1, timedOut: true), dnsTx(ssmName, at: 6, answers: [ssmIP])]
        let a = analyze(flows: [synOnly(to: ssmIP, at: 7).established(ssmName)], dns: dns)
        #expect(a.finding(.resolverFallback) == nil)
        #expect(a.finding(.dnsUnreachable) == nil)
    }

    @Test func dnsErrorForANameThatStillWorksIsAWarning() {
        // NXDOMAIN from one resolver, then hosts-file style success (no DNS match).
        let dns = [dnsTx(ssmName, resolver: adResolver, at: 1, rcode: DNSRcode.nxDomain)]
        let a = analyze(flows: [synOnly(to: ssmIP, at: 2).established(ssmName)], dns: dns)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        #expect(a.finding(.dnsError)?.severity == .warning)
        #expect(a.finding(.noDNSSeen) != nil)
    }

    @Test func limitsAndDamageAreReported() throws {
        var counters = FlowCounters()
        counters.flowsNotRetained = 5
        var anomalies = DecodeAnomalies()
        anomalies.malformed = 2
        let a = analyze(flows: [synOnly(to: ssmIP, at: 2).established(ssmName)], dns: [dnsTx(ssmName, at: 1, answers: [ssmIP])],
                        counters: counters, anomalies: anomalies)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        #expect(a.finding(.limitsHit)?.remedies == [.raiseLimits])
        #expect(a.finding(.limitsHit)?.severity == .warning)
        #expect(a.finding(.captureIncomplete)?.severity == .warning)
        var truncatedOnly = DecodeAnomalies()
        truncatedOnly.truncated = 10
        let b = analyze(flows: [synOnly(to: ssmIP, at: 2).established(ssmName)], anomalies: truncatedOnly)
        #expect(b.finding(.captureIncomplete)?.severity == .info)
        #expect(b.finding(.limitsHit) == nil)
    }

    @Test func evidenceIsBoundedAndStartsWithTheMostTelling() throws {
        var flows: [TCPFlowRecord] = []
        for n in 0..<20 { flows.append(synOnly(to: "203.0.113.10", at: 2 + Double(n)).retransmitted(4)) }
        let dns = [dnsTx(ssmName, resolver: adResolver, at: 1, answers: ["203.0.113.10"], ttl: 600)]
        let a = analyze(flows: flows, dns: dns, end: 120)
        let finding = try #require(a.findings.first)
        #expect(finding.code == .resolverBypassesEndpoint)
        #expect(finding.flowIndices.count == 20)
        #expect(finding.evidence.count == Evidence.limit)
        #expect(finding.evidence.prefix(2).map(\.kind) == [.dnsResponse, .dnsQuery])
        #expect(finding.evidence[2].kind == .syn)
        #expect(finding.evidence[2].flowIndex == 0)
    }
}

@Suite struct ProxyAndScaleTests {
    @Test func unansweredProxyIsEndpointUnreachableWithProxyRemedies() throws {
        let flows = [synOnly(to: "10.0.0.50", port: 3128, at: 2).retransmitted(3).viaProxy(ssmName)]
        let a = analyze(flows: flows)
        #expect(a.verdict == Verdict(code: .endpointUnreachable, severity: .error))
        #expect(a.findings.first?.remedies == [.checkProxyOrFirewall, .checkNACLAndRoutes])
        #expect(a.findings.first?.ports == [3128])
        #expect(a.flows.first?.path == .proxy)
    }

    @Test func manyFlowsAndAnswersAreMatchedWithoutQuadraticWork() {
        // 20 000 clients, each with one answer and one flow: an O(flows × dns) matcher would do 4e8 steps.
        var dns: [DNSTransaction] = []
        var flows: [TCPFlowRecord] = []
        for n in 0..<20_000 {
            let client = "10.0.\(n / 250).\(n % 250 + 1)"
            let seconds = 1 + Double(n) * 0.001
            dns.append(dnsTx(ssmName, client: client, at: seconds, answers: ["10.0.200.100"]))
            flows.append(synOnly(to: "10.0.200.100", from: client, at: seconds + 0.01).established(ssmName))
        }
        let clock = ContinuousClock()
        var a: Analysis?
        let elapsed = clock.measure { a = analyze(flows: flows, dns: dns, end: 100) }
        #expect(a?.flows.count == 20_000)
        #expect(a?.flows.allSatisfy { $0.dnsIndex != nil } == true)
        #expect(a?.verdict.code == .healthyVPCEndpoint)
        #expect(a?.findings.first?.evidence.count == Evidence.limit)
        // Debug build on a shared 2-core machine: about 3 s; the quadratic summary it replaced took 11 s.
        #expect(elapsed < .seconds(10))
    }
}

@Suite struct LocalStubResolverTests {
    @Test func loopbackStubIsNeitherANonAmazonResolverNorTheBypass() {
        // A capture on "any": the agent asks systemd-resolved (127.0.0.53) on lo, which asks
        // AmazonProvidedDNS (10.0.0.2) on eth0; public answers, no route.
        let dns = [
            dnsTx(ssmName, client: "127.0.0.1", resolver: "127.0.0.53", at: 1, answers: ["203.0.113.10"]),
            dnsTx(ssmName, at: 1.001, answers: ["203.0.113.10"]),
        ]
        let a = analyze(flows: [synOnly(to: "203.0.113.10", at: 2).retransmitted(3)], dns: dns)
        #expect(a.verdict.code == .noEndpointNoRoute)
        #expect(a.finding(.nonAmazonResolver) == nil)
        #expect(a.resolvers.contains { $0.address == ip("127.0.0.53") && $0.resolverClass == .other })
        // Healthy through the stub: no warning about it either.
        let ok = analyze(flows: [synOnly(to: "10.0.1.100", at: 2).established(ssmName)],
                         dns: [dnsTx(ssmName, client: "127.0.0.1", resolver: "127.0.0.53", at: 1, answers: ["10.0.1.100"])])
        #expect(ok.verdict.code == .healthyVPCEndpoint)
        #expect(ok.finding(.nonAmazonResolver) == nil)
        // The stub's loopback answer names the flow from the instance's address.
        #expect(ok.flows.first?.dnsIndex == 0)
        #expect(ok.finding(.noDNSSeen) == nil)
    }
}
