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
//
// Cause of one failed SSM flow (FlowFailureRules.swift):
// - a split ClientHello the server never answered, then silence or a reset → tls-failure (post-quantum);
// - timeout or refused to a PUBLIC address (not via a proxy) → resolver-bypasses-endpoint when a
//   non-Amazon resolver gave the address, else no-endpoint-no-route (once TCP is up the path works,
//   so TLS failures and resets are never blamed on the resolver: lab 13);
// - else timeout → endpoint-unreachable, refused → connection-refused, tls-failed → tls-failure,
//   reset → connection-reset.

struct FindingRules {
    /// Root causes, in verdict precedence.
    static let rootCauses: [FindingCode] = FindingCode.rootCausePrecedence
    static let healthyCodes: [FindingCode] = [.healthyVPCEndpoint, .healthyInternet, .healthyProxy]
    /// Answers examined for a failed flow without a DNS match.
    static let unmatchedLookback = 64

    var dns: [AnalyzedDNS]
    var flows: [AnalyzedFlow]
    var endpoints: [EndpointSummary]
    var counters: FlowCounters
    var decodeAnomalies: DecodeAnomalies

    /// A service in a region, whatever name form reached it.
    struct ServiceKey: Hashable {
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

    var workingServices: Set<ServiceKey> {
        Set(endpoints.filter(\.working).map { ServiceKey($0.endpoint) })
    }

    var coreSeen: Bool {
        flows.contains { $0.isSSM && $0.endpoint?.isCoreSSM == true } || dns.contains { $0.isSSM && $0.endpoint?.isCoreSSM == true }
    }

    /// True when a failure of `endpoint` explains the agent not working (see the precedence above).
    func isDecisive(_ endpoint: EndpointIdentity?, working: Set<ServiceKey>, coreSeen: Bool) -> Bool {
        guard let endpoint else { return false }
        if working.contains(ServiceKey(endpoint)) { return false }
        if endpoint.service == "ec2messages", working.contains(where: { $0.service == "ssmmessages" && $0.region == endpoint.region }) {
            return false
        }
        return endpoint.isCoreSSM || !coreSeen
    }

    func rank(_ finding: Finding) -> (Int, Int) {
        (finding.severity == .error ? 0 : 1, Self.rootCauses.firstIndex(of: finding.code) ?? Self.rootCauses.count)
    }

    func codeOrder(_ code: FindingCode) -> Int { FindingCode.allCases.firstIndex(of: code) ?? 0 }

    // MARK: - Filling a finding

    /// Sets indices, hostnames, resolvers, addresses, ports, labels, clients, region and evidence
    /// from the flows and DNS transactions concerned.
    func fill(_ finding: inout Finding, flowIndices: [Int], dnsIndices: [Int]) {
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

        // Evidence: the first DNS answer and the first flow whole, then the others round-robin,
        // each further flow before the next DNS answer. Only the first `limit` subjects of each
        // kind can contribute, so only those are looked at.
        let dnsLists = dnsIndices.prefix(Evidence.limit).map { Evidence.items(for: dns[$0], index: $0) }
        let flowLists = flowIndices.prefix(Evidence.limit).map { Evidence.items(for: flows[$0], index: $0) }
        let leading = Array(dnsLists.prefix(1)) + Array(flowLists.prefix(1))
        var others: [[EvidenceItem]] = []
        for position in 1..<max(dnsLists.count, flowLists.count, 1) {
            if position < flowLists.count { others.append(flowLists[position]) }
            if position < dnsLists.count { others.append(dnsLists[position]) }
        }
        finding.evidence = Evidence.merge(leading + others, whole: leading.count)
    }
}

// MARK: - Helpers

extension AnalyzedDNS {
    /// True when a loopback stub (systemd-resolved 127.0.0.53, nscd, dnsmasq on ::1) was asked:
    /// its upstream decides the answer, so it neither counts as a non-Amazon resolver nor as the
    /// resolver that gave a flow its address. Its class stays `other`.
    var isFromLocalStub: Bool {
        switch transaction.resolver {
        case .v4(let value): value >> 24 == 127
        case .v6(let high, let low): high == 0 && low == 1
        }
    }
}

/// Distinct values, ascending.
func unique<T: Comparable & Hashable>(_ values: [T]) -> [T] { Array(Set(values)).sorted() }

/// The most frequent value (ties: the smallest); nil for none.
func mostCommon(_ values: [String]) -> String? {
    var counts: [String: Int] = [:]
    for value in values { counts[value, default: 0] &+= 1 }
    return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
}
