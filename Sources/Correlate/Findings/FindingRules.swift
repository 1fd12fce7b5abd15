import Flows

// From labelled SSM flows and SSM DNS to findings and the one verdict.
//
// Verdict precedence:
// 1. A root cause is decisive (severity error) when it concerns a core service (ssm, ssmmessages,
//    ec2messages) that is not working in the capture, i.e. its last flow that reached a conclusion
//    did not establish. Exception: ec2messages failing while ssmmessages works is not decisive
//    (agents from 3.3.40.0 use ssmmessages). Failures of optional services (s3, kms, ...) are
//    decisive only when no core service appears at all. Non-decisive root causes stay as warnings.
// 2. Among decisive root causes, the order of `FindingRules.rootCauses` wins:
//    resolver-bypasses-endpoint, no-endpoint-no-route, endpoint-unreachable, connection-refused,
//    tls-failure, connection-reset, dns-unreachable, dns-error.
// 3. Else the healthy path with the most established core flows (ties: vpc-endpoint, internet, proxy).
// 4. Else no-ssm-traffic (error when nothing SSM was seen; warning when only unfinished SSM traffic was).

struct FindingRules {
    /// Root causes, in verdict precedence.
    static let rootCauses: [FindingCode] = [
        .resolverBypassesEndpoint, .noEndpointNoRoute, .endpointUnreachable, .connectionRefused, .tlsFailure,
        .connectionReset, .dnsUnreachable, .dnsError,
    ]
    static let healthyCodes: [FindingCode] = [.healthyVPCEndpoint, .healthyInternet, .healthyProxy]

    var dns: [AnalyzedDNS]
    var flows: [AnalyzedFlow]
    var endpoints: [EndpointSummary]
    var counters: FlowCounters
    var decodeAnomalies: DecodeAnomalies

    /// A service in a region, whatever name form reached it.
    private struct ServiceKey: Hashable {
        var service: String
        var region: String
        init(_ identity: EndpointIdentity) { service = identity.service; region = identity.region }
    }

    // MARK: - Entry

    /// Findings (verdict's first, then by severity, then by code order) and the verdict.
    func evaluate() -> (findings: [Finding], verdict: Verdict) {
        let ssmFlows = flows.indices.filter { flows[$0].isSSM }
        let ssmDNS = dns.indices.filter { dns[$0].isSSM }

        let dnsResult = dnsFindings(ssmDNS)
        var rootFindings = flowFailureFindings(ssmFlows) + dnsResult.roots
        rootFindings.sort { rank($0) < rank($1) }
        let healthy = healthyFindings(ssmFlows)

        let verdictFinding: Finding
        var others: [Finding] = []
        if let decisive = rootFindings.first(where: { $0.severity == .error }) {
            verdictFinding = decisive
            others = rootFindings.filter { $0.code != decisive.code } + healthy
        } else if let best = bestHealthy(healthy) {
            verdictFinding = best
            others = rootFindings + healthy.filter { $0.code != best.code }
        } else {
            let sawSSM = !ssmFlows.isEmpty || !ssmDNS.isEmpty
            verdictFinding = Finding(code: .noSSMTraffic, severity: sawSSM ? .warning : .error,
                                     flowIndices: ssmFlows, dnsIndices: ssmDNS,
                                     remedies: [.checkAgentRunning, .captureLonger])
            others = rootFindings
        }

        others += dnsResult.fallbacks
        if verdictFinding.code != .resolverBypassesEndpoint, let finding = nonAmazonResolverFinding(ssmDNS) { others.append(finding) }
        if let finding = noDNSSeenFinding(ssmFlows) { others.append(finding) }
        if let finding = ec2messagesFinding(ssmFlows, ssmDNS) { others.append(finding) }
        if let finding = captureIncompleteFinding(ssmFlows) { others.append(finding) }
        if let finding = limitsFinding() { others.append(finding) }

        others.sort { ($0.severity, -codeOrder($0.code)) > ($1.severity, -codeOrder($1.code)) }
        return ([verdictFinding] + others, Verdict(code: verdictFinding.code, severity: verdictFinding.severity))
    }

    // MARK: - Decisiveness

    private var workingServices: Set<ServiceKey> {
        Set(endpoints.filter(\.working).map { ServiceKey($0.endpoint) })
    }

    private var coreSeen: Bool {
        flows.contains { $0.isSSM && $0.endpoint?.isCoreSSM == true } || dns.contains { $0.isSSM && $0.endpoint?.isCoreSSM == true }
    }

    /// True when a failure of `endpoint` explains the agent not working (see the precedence above).
    private func isDecisive(_ endpoint: EndpointIdentity?, working: Set<ServiceKey>, coreSeen: Bool) -> Bool {
        guard let endpoint else { return false }
        if working.contains(ServiceKey(endpoint)) { return false }
        if endpoint.service == "ec2messages", working.contains(where: { $0.service == "ssmmessages" && $0.region == endpoint.region }) {
            return false
        }
        return endpoint.isCoreSSM || !coreSeen
    }

    private func rank(_ finding: Finding) -> (Int, Int) {
        (finding.severity == .error ? 0 : 1, Self.rootCauses.firstIndex(of: finding.code) ?? Self.rootCauses.count)
    }

    private func codeOrder(_ code: FindingCode) -> Int { FindingCode.allCases.firstIndex(of: code) ?? 0 }

    // MARK: - Failed flows

    /// One finding per cause among the failed SSM flows.
    private func flowFailureFindings(_ ssmFlows: [Int]) -> [Finding] {
        let working = workingServices, coreSeen = coreSeen
        var byCause: [FindingCode: [Int]] = [:]
        var droppedSplitHello = false
        var answering: [Int: Int] = [:]
        for index in ssmFlows where flows[index].label.isFailure {
            let dnsIndex = answeringDNS(forFlow: index)
            if let dnsIndex { answering[index] = dnsIndex }
            let (code, splitHello) = cause(ofFlow: index, answeringDNS: dnsIndex)
            if splitHello { droppedSplitHello = true }
            byCause[code, default: []].append(index)
        }
        return byCause.map { code, indices in
            let decisive = indices.contains { isDecisive(flows[$0].endpoint, working: working, coreSeen: coreSeen) }
            let dnsIndices = unique(indices.compactMap { answering[$0] })
            var finding = Finding(code: code, severity: decisive ? .error : .warning)
            fill(&finding, flowIndices: indices, dnsIndices: dnsIndices)
            finding.remedies = remedies(for: code, flowIndices: indices, droppedSplitHello: droppedSplitHello)
            return finding
        }
    }

    /// The cause of one failed flow, and whether it is a dropped split ClientHello.
    private func cause(ofFlow index: Int, answeringDNS dnsIndex: Int?) -> (FindingCode, Bool) {
        let flow = flows[index]
        if FlowLabeler.isDroppedSplitClientHello(flow.record, label: flow.label) { return (.tlsFailure, true) }
        if flow.path != .proxy, flow.addressClass == .public, flow.label != .reset {
            let resolverClass = dnsIndex.map { dns[$0].resolverClass }
            if resolverClass == .other { return (.resolverBypassesEndpoint, false) }
            if flow.label == .timeout || flow.label == .refused { return (.noEndpointNoRoute, false) }
        }
        switch flow.label {
        case .timeout: return (.endpointUnreachable, false)
        case .refused: return (.connectionRefused, false)
        case .tlsFailed: return (.tlsFailure, false)
        default: return (.connectionReset, false)
        }
    }

    /// The DNS transaction that gave a flow its address: its match, else the latest answer for its
    /// hostname that contains the address, else the latest answer for its hostname.
    private func answeringDNS(forFlow index: Int) -> Int? {
        let flow = flows[index]
        if let matched = flow.dnsIndex { return matched }
        guard let hostname = flow.hostname else { return nil }
        let answers = dns.indices.filter {
            dns[$0].isSSM && dns[$0].transaction.name == hostname && !dns[$0].transaction.addresses.isEmpty
        }
        return answers.last { dns[$0].transaction.addresses.contains(flow.record.server) } ?? answers.last
    }

    private func remedies(for code: FindingCode, flowIndices: [Int], droppedSplitHello: Bool) -> [RemedyCode] {
        switch code {
        case .resolverBypassesEndpoint: return [.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway]
        case .noEndpointNoRoute: return [.createInterfaceEndpoints, .natGateway]
        case .endpointUnreachable:
            let throughProxy = flowIndices.allSatisfy { flows[$0].path == .proxy }
            return throughProxy ? [.checkProxyOrFirewall, .checkNACLAndRoutes] : [.endpointSecurityGroup, .checkNACLAndRoutes]
        case .connectionRefused: return [.checkProxyOrFirewall, .checkNACLAndRoutes]
        case .tlsFailure:
            return droppedSplitHello ? [.disablePostQuantumKeyShare, .firewallClientHelloRule, .tlsInspectionBypass]
                                     : [.tlsInspectionBypass, .checkProxyOrFirewall]
        case .connectionReset: return [.checkProxyOrFirewall, .checkNACLAndRoutes]
        case .dnsUnreachable: return [.useAmazonProvidedDNS, .checkNACLAndRoutes]
        case .dnsError: return [.checkDNSRecords, .useAmazonProvidedDNS]
        default: return []
        }
    }

    // MARK: - DNS

    /// dns-unreachable and dns-error (roots), resolver-fallback (warnings), per SSM name.
    private func dnsFindings(_ ssmDNS: [Int]) -> (roots: [Finding], fallbacks: [Finding]) {
        let working = workingServices, coreSeen = coreSeen
        var byName: [DNSName: [Int]] = [:]
        for index in ssmDNS {
            let type = dns[index].transaction.type
            guard type == DNSType.a || type == DNSType.aaaa else { continue }
            byName[dns[index].transaction.name, default: []].append(index)
        }
        var unreachable: [Int] = [], errors: [Int] = [], fallbacks: [Int] = []
        var unreachableDecisive = false, errorDecisive = false
        for name in byName.keys.sorted() {
            guard let indices = byName[name] else { continue }
            let transactions = indices.map { dns[$0].transaction }
            let responded = transactions.contains { $0.response != nil }
            let resolved = transactions.contains { $0.rcode == DNSRcode.noError && !$0.addresses.isEmpty }
            let timedOut = indices.filter { dns[$0].transaction.timedOut && dns[$0].transaction.response == nil }
            let decisive = isDecisive(dns[indices[0]].endpoint, working: working, coreSeen: coreSeen)
            if !responded, !timedOut.isEmpty {
                unreachable += timedOut
                unreachableDecisive = unreachableDecisive || decisive
            }
            if responded, !timedOut.isEmpty {
                // A later answer from another resolver than one that timed out.
                let answered = indices.filter { dns[$0].transaction.response != nil }
                let fellBack = timedOut.filter { timeout in
                    answered.contains {
                        dns[$0].transaction.resolver != dns[timeout].transaction.resolver
                            && dns[$0].transaction.query.time >= dns[timeout].transaction.query.time
                    }
                }
                if !fellBack.isEmpty {
                    fallbacks += fellBack
                    fallbacks += answered.filter { answeredIndex in
                        fellBack.contains { dns[answeredIndex].transaction.resolver != dns[$0].transaction.resolver }
                    }
                }
            }
            let hasA = transactions.contains { $0.type == DNSType.a }
            let failed = indices.filter {
                let t = dns[$0].transaction
                guard let rcode = t.rcode, rcode != DNSRcode.noError else { return false }
                return t.type == DNSType.a || !hasA
            }
            if !resolved, !failed.isEmpty {
                errors += failed
                errorDecisive = errorDecisive || decisive
            }
        }
        var roots: [Finding] = []
        if !unreachable.isEmpty {
            var finding = Finding(code: .dnsUnreachable, severity: unreachableDecisive ? .error : .warning)
            fill(&finding, flowIndices: [], dnsIndices: unique(unreachable))
            finding.remedies = remedies(for: .dnsUnreachable, flowIndices: [], droppedSplitHello: false)
            roots.append(finding)
        }
        if !errors.isEmpty {
            var finding = Finding(code: .dnsError, severity: errorDecisive ? .error : .warning)
            fill(&finding, flowIndices: [], dnsIndices: unique(errors))
            finding.remedies = remedies(for: .dnsError, flowIndices: [], droppedSplitHello: false)
            roots.append(finding)
        }
        var fallbackFindings: [Finding] = []
        if !fallbacks.isEmpty {
            var finding = Finding(code: .resolverFallback, severity: .warning)
            fill(&finding, flowIndices: [], dnsIndices: unique(fallbacks))
            finding.remedies = [.checkNACLAndRoutes]
            fallbackFindings.append(finding)
        }
        return (roots, fallbackFindings)
    }

    // MARK: - Healthy

    private func healthyFindings(_ ssmFlows: [Int]) -> [Finding] {
        let pairs: [(FlowLabel, FindingCode)] = [(.vpcEndpoint, .healthyVPCEndpoint), (.natInternet, .healthyInternet), (.proxy, .healthyProxy)]
        return pairs.compactMap { label, code in
            let indices = ssmFlows.filter { flows[$0].label == label }
            guard !indices.isEmpty else { return nil }
            var finding = Finding(code: code, severity: .info)
            fill(&finding, flowIndices: indices, dnsIndices: unique(indices.compactMap { flows[$0].dnsIndex }))
            return finding
        }
    }

    /// The healthy finding with the most established core flows (ties in `healthyCodes` order).
    private func bestHealthy(_ healthy: [Finding]) -> Finding? {
        var best: (finding: Finding, core: Int)?
        for finding in healthy {
            let core = finding.flowIndices.filter { flows[$0].endpoint?.isCoreSSM == true }.count
            if best == nil || core > (best?.core ?? 0) { best = (finding, core) }
        }
        return best?.finding
    }

    // MARK: - Notes alongside

    private func nonAmazonResolverFinding(_ ssmDNS: [Int]) -> Finding? {
        let answered = ssmDNS.filter {
            dns[$0].resolverClass == .other && dns[$0].transaction.rcode == DNSRcode.noError && !dns[$0].transaction.addresses.isEmpty
        }
        guard !answered.isEmpty else { return nil }
        let anyPublic = answered.contains { dns[$0].answerClass == .public }
        var finding = Finding(code: .nonAmazonResolver, severity: anyPublic ? .warning : .info)
        let flowIndices = flows.indices.filter { flows[$0].isSSM && flows[$0].dnsIndex.map(answered.contains) == true }
        fill(&finding, flowIndices: flowIndices, dnsIndices: answered)
        finding.remedies = anyPublic ? [.route53InboundEndpointForwarder] : []
        return finding
    }

    private func noDNSSeenFinding(_ ssmFlows: [Int]) -> Finding? {
        let unmatched = ssmFlows.filter {
            let flow = flows[$0]
            return flow.dnsIndex == nil && !flow.record.partial && flow.record.connect == nil
        }
        guard !unmatched.isEmpty else { return nil }
        var finding = Finding(code: .noDNSSeen, severity: .warning)
        fill(&finding, flowIndices: unmatched, dnsIndices: [])
        return finding
    }

    private func ec2messagesFinding(_ ssmFlows: [Int], _ ssmDNS: [Int]) -> Finding? {
        let flowIndices = ssmFlows.filter { flows[$0].endpoint?.service == "ec2messages" }
        let dnsIndices = ssmDNS.filter { dns[$0].endpoint?.service == "ec2messages" }
        guard !flowIndices.isEmpty || !dnsIndices.isEmpty else { return nil }
        var finding = Finding(code: .ec2messagesInUse, severity: .info)
        fill(&finding, flowIndices: flowIndices, dnsIndices: dnsIndices)
        return finding
    }

    private func captureIncompleteFinding(_ ssmFlows: [Int]) -> Finding? {
        let unfinished = ssmFlows.filter { flows[$0].label == .incomplete || flows[$0].record.partial }
        let damaged = decodeAnomalies.malformed &+ decodeAnomalies.unsupportedLinkType &+ decodeAnomalies.fragmentsDropped
            &+ counters.dnsMalformed
        guard !unfinished.isEmpty || damaged > 0 || decodeAnomalies.truncated > 0 else { return nil }
        let severity: Severity = (damaged > 0 || unfinished.contains { flows[$0].label == .incomplete }) ? .warning : .info
        var finding = Finding(code: .captureIncomplete, severity: severity)
        fill(&finding, flowIndices: unfinished, dnsIndices: [])
        finding.remedies = [.captureLonger]
        return finding
    }

    private func limitsFinding() -> Finding? {
        let c = counters
        let hits = [c.flowsEvictedAtLimit, c.flowsEvictedIdle, c.flowsNotRetained, c.dnsPendingEvicted, c.dnsNotRetained,
                    c.firstBytesLimitHit]
        guard hits.contains(where: { $0 > 0 }) else { return nil }
        return Finding(code: .limitsHit, severity: .warning, remedies: [.raiseLimits])
    }

    // MARK: - Filling a finding

    /// Sets indices, hostnames, resolvers, addresses, ports, labels, clients, region and evidence
    /// from the flows and DNS transactions concerned.
    private func fill(_ finding: inout Finding, flowIndices: [Int], dnsIndices: [Int]) {
        let flowIndices = unique(flowIndices), dnsIndices = unique(dnsIndices)
        finding.flowIndices = flowIndices
        finding.dnsIndices = dnsIndices
        let concernedFlows = flowIndices.map { flows[$0] }
        let concernedDNS = dnsIndices.map { dns[$0] }
        finding.hostnames = unique(concernedFlows.compactMap(\.hostname) + concernedDNS.map(\.transaction.name))
        finding.resolvers = unique(concernedDNS.map(\.transaction.resolver))
        finding.addresses = unique(concernedFlows.map(\.record.server) + concernedDNS.flatMap(\.transaction.addresses))
        finding.ports = unique(concernedFlows.map(\.record.serverPort))
        let labels = Set(concernedFlows.map(\.label))
        finding.labels = FlowLabel.allCases.filter(labels.contains)
        finding.clients = unique(concernedFlows.map(\.record.client) + concernedDNS.map(\.transaction.client))
        finding.region = mostCommon(concernedFlows.compactMap(\.endpoint?.region) + concernedDNS.compactMap(\.endpoint?.region))

        // Evidence: the first DNS answer and the first flow whole, then the rest round-robin.
        let dnsLists = dnsIndices.map { Evidence.items(for: dns[$0], index: $0) }
        let flowLists = flowIndices.map { Evidence.items(for: flows[$0], index: $0) }
        let leading = Array(dnsLists.prefix(1)) + Array(flowLists.prefix(1))
        finding.evidence = Evidence.merge(leading + Array(dnsLists.dropFirst()) + Array(flowLists.dropFirst()), whole: leading.count)
    }
}

// MARK: - Helpers

/// Distinct values, ascending.
func unique<T: Comparable & Hashable>(_ values: [T]) -> [T] { Array(Set(values)).sorted() }

/// The most frequent value (ties: the smallest); nil for none.
func mostCommon(_ values: [String]) -> String? {
    var counts: [String: Int] = [:]
    for value in values { counts[value, default: 0] += 1 }
    return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
}
