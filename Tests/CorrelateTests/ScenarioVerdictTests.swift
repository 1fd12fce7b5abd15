@testable import Correlate
import Testing

// Every verdict from a constructed FlowsResult shaped like the lab scenario it stands for: the
// agent resolves ssm, ssmmessages and ec2messages, then connects to each on 443.

/// The agent's start-up traffic: one A query per core name at `dnsAt`, one flow per name a second later.
private func agentTraffic(resolver: String = vpcResolver, client: String = instance, addresses: [String],
                          dnsAt: Double = 1, flow shape: (TCPFlowRecord, String) -> TCPFlowRecord) -> (flows: [TCPFlowRecord], dns: [DNSTransaction]) {
    let names = [ssmName, ec2messagesName, ssmmessagesName]
    var dns: [DNSTransaction] = []
    var flows: [TCPFlowRecord] = []
    for (offset, (name, address)) in zip(names, addresses).enumerated() {
        let seconds = dnsAt + Double(offset) * 0.1
        let type: UInt16 = address.contains(":") ? DNSType.aaaa : DNSType.a
        dns.append(dnsTx(name, type: type, client: client, resolver: resolver, at: seconds, answers: [address]))
        flows.append(shape(synOnly(to: address, from: client, at: seconds + 1), name))
    }
    return (flows, dns)
}

private let endpointIPs = ["10.0.1.100", "10.0.1.101", "10.0.1.102"]
private let publicIPs = ["203.0.113.10", "203.0.113.11", "203.0.113.12"]

private func expectWellFormed(_ a: Analysis, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.findings.first?.code == a.verdict.code, sourceLocation: sourceLocation)
    #expect(a.findings.first?.severity == a.verdict.severity, sourceLocation: sourceLocation)
    let rest = a.findings.dropFirst().map(\.severity)
    #expect(rest == rest.sorted(by: >), "findings after the verdict by severity", sourceLocation: sourceLocation)
    #expect(Set(a.codes).count == a.codes.count, "one finding per code", sourceLocation: sourceLocation)
    for finding in a.findings {
        #expect(finding.evidence.count <= Evidence.limit, sourceLocation: sourceLocation)
        #expect(finding.flowIndices.allSatisfy { a.flows.indices.contains($0) }, sourceLocation: sourceLocation)
        #expect(finding.dnsIndices.allSatisfy { a.dns.indices.contains($0) }, sourceLocation: sourceLocation)
        for item in finding.evidence {
            if let i = item.flowIndex { #expect(a.flows.indices.contains(i), sourceLocation: sourceLocation) }
            if let i = item.dnsIndex { #expect(a.dns.indices.contains(i), sourceLocation: sourceLocation) }
        }
    }
    #expect(a.dns.map(\.transaction.query.time) == a.dns.map(\.transaction.query.time).sorted(), sourceLocation: sourceLocation)
    #expect(a.flows.map(\.record.first.time) == a.flows.map(\.record.first.time).sorted(), sourceLocation: sourceLocation)
}

@Suite struct ScenarioVerdictTests {
    // MARK: - Healthy paths

    @Test func healthyInterfaceEndpoint() throws {
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.established(name) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .healthyVPCEndpoint, severity: .info))
        let healthy = try #require(a.finding(.healthyVPCEndpoint))
        #expect(healthy.hostnames.map(\.text) == [ec2messagesName, ssmName, ssmmessagesName])
        #expect(healthy.labels == [.vpcEndpoint])
        #expect(healthy.ports == [443])
        #expect(healthy.region == "us-east-1")
        #expect(healthy.clients == [ip(instance)])
        #expect(a.vpc == VPCContext(cidrs: [net("10.0.0.0/23")], inferred: true))
        #expect(a.resolvers.count == 1)
        #expect(a.resolvers.first?.resolverClass == .amazonProvided)
        #expect(a.resolvers.first?.reason == .vpcBasePlusTwoInferred)
        #expect(a.resolvers.first?.ssmQueries == 3)
        #expect(a.resolvers.first?.ports == [53])
        #expect(a.finding(.nonAmazonResolver) == nil)
        #expect(a.finding(.noDNSSeen) == nil)
        #expect(a.finding(.ec2messagesInUse)?.severity == .info)
        #expect(a.region == "us-east-1")
        #expect(a.endpoints.map(\.hostname.text) == [ec2messagesName, ssmName, ssmmessagesName])
        #expect(a.endpoints.allSatisfy { $0.working && $0.established == 1 && $0.dnsIndices.count == 1 })
        #expect(a.flows.allSatisfy { $0.dnsIndex != nil && $0.path == .vpcEndpoint && $0.addressClass == .private })
    }

    @Test func givenVPCCIDRIsUsedNotInferred() {
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.established(name) }
        let a = analyze(flows: t.flows, dns: t.dns, options: CorrelationOptions(vpcCIDRs: [net("10.0.0.0/16")]))
        #expect(a.vpc == VPCContext(cidrs: [net("10.0.0.0/16")], inferred: false))
        #expect(a.resolvers.first?.reason == .vpcBasePlusTwo)
        #expect(a.verdict.code == .healthyVPCEndpoint)
    }

    @Test func domainJoinedWithNATIsHealthyInternetWithNonAmazonResolverWarning() throws {
        let t = agentTraffic(resolver: adResolver, addresses: publicIPs) { r, name in r.established(name) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .healthyInternet, severity: .info))
        let warning = try #require(a.finding(.nonAmazonResolver))
        #expect(warning.severity == .warning)
        #expect(warning.resolvers == [ip(adResolver)])
        #expect(warning.remedies == [.route53InboundEndpointForwarder])
        #expect(warning.flowIndices.count == 3)
        #expect(a.resolvers.first?.resolverClass == .other)
        #expect(a.vpc.cidrs.isEmpty && !a.vpc.inferred)
    }

    @Test func conditionalForwarderReturningEndpointAddressesIsHealthyVPCEndpoint() throws {
        let t = agentTraffic(resolver: adResolver, addresses: endpointIPs) { r, name in r.established(name) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        let note = try #require(a.finding(.nonAmazonResolver))
        #expect(note.severity == .info)
        #expect(note.remedies.isEmpty)
    }

    @Test func hostsFileWithoutDNSIsHealthyWithNoDNSSeen() throws {
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.established(name) }
        let a = analyze(flows: t.flows, dns: [])
        expectWellFormed(a)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        let noDNS = try #require(a.finding(.noDNSSeen))
        #expect(noDNS.severity == .warning)
        #expect(noDNS.flowIndices == [0, 1, 2])
        #expect(a.dns.isEmpty)
    }

    @Test func ipv6EndpointIsHealthyVPCEndpoint() throws {
        let v6Endpoints = ["2600:1f18:aaaa:bb01::55", "2600:1f18:aaaa:bb01::56", "2600:1f18:aaaa:bb01::57"]
        let t = agentTraffic(resolver: "fd00:ec2::253", client: "2600:1f18:aaaa:bb00::10", addresses: v6Endpoints) { r, name in
            r.established(name)
        }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        #expect(a.vpc == VPCContext(cidrs: [net("2600:1f18:aaaa:bb00::/56")], inferred: true))
        #expect(a.resolvers.first?.reason == .ipv6)
        #expect(a.flows.allSatisfy { $0.addressClass == .private && $0.dnsIndex != nil })
        #expect(a.dns.allSatisfy { $0.answerClass == .private && $0.resolverClass == .amazonProvided })
    }

    @Test func proxyIsHealthyProxy() throws {
        let proxy = "10.0.0.50"
        let flows = [ssmName, ssmmessagesName].enumerated().map { offset, name in
            synOnly(to: proxy, port: 3128, at: 2 + Double(offset)).established(name).viaProxy(name)
        }
        let a = analyze(flows: flows, dns: [dnsTx("proxy.corp.example", at: 1, answers: [proxy])])
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .healthyProxy, severity: .info))
        #expect(a.flows.allSatisfy { $0.path == .proxy && $0.label == .proxy })
        #expect(a.finding(.noDNSSeen) == nil)
        // The proxy's own name is not SSM, but the SSM flows matched it, so it stays in the output.
        #expect(a.dns.count == 1)
        #expect(a.flows.allSatisfy { $0.dnsIndex == 0 && $0.hostnameSource == .sni })
    }

    // MARK: - Root causes

    @Test func domainJoinedResolverWithoutInternetBypassesTheEndpoint() throws {
        let t = agentTraffic(resolver: adResolver, addresses: publicIPs) { r, _ in r.retransmitted(4) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .resolverBypassesEndpoint, severity: .error))
        let finding = try #require(a.findings.first)
        #expect(finding.code == .resolverBypassesEndpoint)
        #expect(finding.remedies == [.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway])
        #expect(finding.resolvers == [ip(adResolver)])
        #expect(finding.hostnames.map(\.text) == [ec2messagesName, ssmName, ssmmessagesName])
        #expect(finding.addresses == publicIPs.map { ip($0) })
        #expect(finding.labels == [.timeout])
        #expect(finding.flowIndices == [0, 1, 2])
        #expect(finding.dnsIndices == [0, 1, 2])
        #expect(finding.region == "us-east-1")
        // Evidence: the DNS answer, then the first flow's SYN and retransmits, then the others.
        #expect(finding.evidence.count == Evidence.limit)
        #expect(finding.evidence.first?.kind == .dnsResponse)
        #expect(finding.evidence.dropFirst(2).prefix(5).map(\.kind) == [.syn, .synRetransmit, .synRetransmit, .synRetransmit, .synRetransmit])
        #expect(finding.evidence.dropFirst(7).map(\.kind) == [.syn, .dnsResponse, .syn])
        #expect(finding.evidence.dropFirst(7).map(\.flowIndex) == [1, nil, 2])
        #expect(a.finding(.nonAmazonResolver) == nil)
        #expect(a.flows.allSatisfy { $0.label == .timeout && $0.path == .internet })
        #expect(a.endpoints.allSatisfy { !$0.working && $0.failed == 1 })
    }

    @Test func amazonDNSWithPublicAnswersAndNoRouteIsNoEndpointNoRoute() throws {
        let t = agentTraffic(addresses: publicIPs) { r, _ in r.retransmitted(2) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .noEndpointNoRoute, severity: .error))
        #expect(a.findings.first?.remedies == [.createInterfaceEndpoints, .natGateway])
        #expect(a.findings.first?.resolvers == [ip(vpcResolver)])
    }

    @Test func endpointSecurityGroupDropping443IsEndpointUnreachable() throws {
        let t = agentTraffic(addresses: endpointIPs) { r, _ in r.retransmitted(3) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .endpointUnreachable, severity: .error))
        let finding = try #require(a.findings.first)
        #expect(finding.remedies == [.endpointSecurityGroup, .checkNACLAndRoutes])
        #expect(finding.addresses == endpointIPs.map { ip($0) })
        #expect(finding.ports == [443])
    }

    @Test func refusedConnectionsAreConnectionRefused() {
        let t = agentTraffic(addresses: endpointIPs) { r, _ in r.rejected() }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .connectionRefused, severity: .error))
        #expect(a.findings.first?.evidence.prefix(3).map(\.kind) == [.dnsResponse, .dnsQuery, .syn])
        #expect(a.findings.first?.evidence.contains { $0.kind == .reset } == true)
    }

    @Test func resetsAfterTheHandshakeAreConnectionReset() {
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.established(name).serverReset(after: 20) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .connectionReset, severity: .error))
        #expect(a.findings.first?.remedies == [.checkProxyOrFirewall, .checkNACLAndRoutes])
        #expect(a.findings.first?.labels == [.reset])
    }

    @Test func splitClientHelloThenSilenceIsTLSFailureWithPostQuantumRemedies() throws {
        let t = agentTraffic(addresses: publicIPs) { r, name in r.helloSent(name, segments: 2).clientGaveUp(after: 10) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .tlsFailure, severity: .error))
        let finding = try #require(a.findings.first)
        #expect(finding.remedies == [.disablePostQuantumKeyShare, .firewallClientHelloRule, .tlsInspectionBypass])
        #expect(a.flows.allSatisfy { $0.splitClientHello })
        #expect(finding.evidence.contains { $0.kind == .clientHello })
    }

    @Test func splitClientHelloThroughADResolverIsStillTheTLSFailure() {
        let t = agentTraffic(resolver: adResolver, addresses: publicIPs) { r, name in r.helloSent(name, segments: 2).serverReset(after: 0.5) }
        let a = analyze(flows: t.flows, dns: t.dns)
        #expect(a.verdict.code == .tlsFailure)
        #expect(a.finding(.nonAmazonResolver)?.severity == .warning)
    }

    @Test func tlsAlertFromTheServerIsTLSFailure() throws {
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.alerted(name) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .tlsFailure, severity: .error))
        let finding = try #require(a.findings.first)
        #expect(finding.remedies == [.tlsInspectionBypass, .checkProxyOrFirewall])
        #expect(finding.evidence.contains { $0.kind == .alert })
        #expect(finding.labels == [.tlsFailed])
    }

    @Test func unreachableResolverIsDNSUnreachable() throws {
        // AmazonProvidedDNS asked from outside the VPC (an on-premises host): every query times out.
        let names = [ssmName, ec2messagesName, ssmmessagesName]
        let dns = names.enumerated().map { offset, name in
            dnsTx(name, client: "192.168.10.20", resolver: "169.254.169.253", at: 1 + Double(offset), timedOut: true)
        }
        let a = analyze(dns: dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .dnsUnreachable, severity: .error))
        let finding = try #require(a.findings.first)
        #expect(finding.remedies == [.useAmazonProvidedDNS, .checkNACLAndRoutes])
        #expect(finding.resolvers == [ip("169.254.169.253")])
        #expect(finding.evidence.map(\.kind) == [.dnsTimeout, .dnsTimeout, .dnsTimeout])
        #expect(a.resolvers.first?.timeouts == 3)
        #expect(a.resolvers.first?.answered == 0)
    }

    @Test func nxdomainIsDNSError() throws {
        let names = [ssmName, ec2messagesName, ssmmessagesName]
        let dns = names.enumerated().map { offset, name in dnsTx(name, at: 1 + Double(offset), rcode: DNSRcode.nxDomain) }
        let a = analyze(dns: dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .dnsError, severity: .error))
        let finding = try #require(a.findings.first)
        #expect(finding.remedies == [.checkDNSRecords, .useAmazonProvidedDNS])
        #expect(finding.dnsIndices == [0, 1, 2])
        #expect(a.resolvers.first?.errors == 3)
    }

    @Test func refusedOrEmptyAAAAWhileASucceedsIsNotAnError() {
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.established(name) }
        let extra = [
            dnsTx(ssmName, type: DNSType.aaaa, at: 1.01, rcode: DNSRcode.refused),
            dnsTx(ssmmessagesName, type: DNSType.aaaa, at: 1.21),
        ]
        let a = analyze(flows: t.flows, dns: t.dns + extra)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        #expect(a.finding(.dnsError) == nil)
        #expect(a.dns.count == 5)
    }

    @Test func noSSMTraffic() throws {
        let a = analyze(flows: [synOnly(to: "198.51.100.80", at: 1).established("www.example.com")],
                        dns: [dnsTx("www.example.com", at: 0.5, answers: ["198.51.100.80"])])
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .noSSMTraffic, severity: .error))
        #expect(a.findings.first?.remedies == [.checkAgentRunning, .captureLonger])
        #expect(a.flows.isEmpty && a.dns.isEmpty)
        // With no SSM client, every DNS client counts for finding AmazonProvidedDNS.
        #expect(a.resolvers.first?.reason == .vpcBasePlusTwoInferred)
        let empty = Correlator.analyze(FlowsResult(flows: [], dns: [], counters: FlowCounters(), decodeAnomalies: DecodeAnomalies(),
                                                   captureStart: nil, captureEnd: nil), options: CorrelationOptions())
        #expect(empty.verdict.code == .noSSMTraffic)
        #expect(empty.region == nil)
    }

    @Test func onlyUnfinishedSSMTrafficIsANoSSMTrafficWarning() {
        let a = analyze(flows: [synOnly(to: endpointIPs[0], at: 59).helloSent(ssmName)], dns: [dnsTx(ssmName, at: 58.9, answers: [endpointIPs[0]])])
        #expect(a.verdict == Verdict(code: .noSSMTraffic, severity: .warning))
        #expect(a.finding(.captureIncomplete)?.severity == .warning)
    }
}

// MARK: - Shapes from the lab's recorded captures (Captures/expected.json on h/lab)

@Suite struct LabShapeTests {
    @Test func resetOnTheClientHelloIsConnectionReset() throws {
        // 06b-reset-after-hello: AmazonProvidedDNS, private answers, RST to each ClientHello.
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.helloSent(name, postQuantum: false).serverReset(after: 0.003) }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .connectionReset, severity: .error))
        #expect(a.flows.allSatisfy { $0.label == .reset })
        #expect(a.findings.first?.evidence.contains { $0.kind == .reset } == true)
    }

    @Test func tlsInspectionBehindADResolverAndNATIsTLSFailure() throws {
        // 13-tls-rejected: AD DNS returns public addresses, NAT works, the client alerts unknown_ca.
        let t = agentTraffic(resolver: adResolver, addresses: publicIPs) { r, name in
            var alerted = r.alerted(name)
            alerted.alertFromServer = false
            alerted.alert = TLSAlert(level: 2, description: 48)
            return alerted
        }
        let a = analyze(flows: t.flows, dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict == Verdict(code: .tlsFailure, severity: .error))
        #expect(a.findings.first?.remedies == [.tlsInspectionBypass, .checkProxyOrFirewall])
        #expect(a.finding(.resolverBypassesEndpoint) == nil)
        #expect(a.finding(.nonAmazonResolver)?.severity == .warning)
    }

    @Test func connectionOpenBeforeTheCaptureIsNamedByALaterAnswerAndIncomplete() throws {
        // 16-capture-midstream: the ssmmessages channel to 10.0.1.102 has no SYN; the agent's fresh
        // calls (with DNS) follow.
        var channel = TCPFlowRecord(client: ip(instance), clientPort: 41_000, server: ip(endpointIPs[2]), serverPort: 443, first: at(0.2))
        channel.partial = true
        channel.state = .OTH
        channel.packetsToServer = 10
        channel.packetsToClient = 10
        channel.bytesToServer = 400
        channel.bytesToClient = 400
        channel.openAtCaptureEnd = true
        let t = agentTraffic(addresses: endpointIPs) { r, name in r.established(name) }
        let a = analyze(flows: t.flows + [channel], dns: t.dns)
        expectWellFormed(a)
        #expect(a.verdict.code == .healthyVPCEndpoint)
        let first = try #require(a.flows.first)
        #expect(first.record.partial)
        #expect(first.hostname == DNSName(ssmmessagesName))
        #expect(first.hostnameSource == .dns)
        #expect(first.label == .incomplete)
        let byName = Dictionary(grouping: a.flows, by: { $0.hostname?.text ?? "" }).mapValues { $0.map(\.label) }
        #expect(byName[ssmmessagesName] == [.incomplete, .vpcEndpoint])
        #expect(a.finding(.noDNSSeen) == nil)
        #expect(a.finding(.captureIncomplete)?.flowIndices == [0])
    }
}
