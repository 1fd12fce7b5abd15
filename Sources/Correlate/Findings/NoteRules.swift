import Flows

// Healthy findings and the notes alongside a verdict.

extension FindingRules {
    // MARK: - Healthy

    func healthyFindings(_ ssmFlows: [Int]) -> [Finding] {
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
    func bestHealthy(_ healthy: [Finding]) -> Finding? {
        var best: (finding: Finding, core: Int)?
        for finding in healthy {
            let core = finding.flowIndices.filter { flows[$0].endpoint?.isCoreSSM == true }.count
            if best == nil || core > (best?.core ?? 0) { best = (finding, core) }
        }
        return best?.finding
    }

    // MARK: - Notes alongside

    func nonAmazonResolverFinding(_ ssmDNS: [Int]) -> Finding? {
        let answered = ssmDNS.filter {
            dns[$0].resolverClass == .other && !dns[$0].isFromLocalStub && dns[$0].transaction.rcode == DNSRcode.noError
                && !dns[$0].transaction.addresses.isEmpty
        }
        guard !answered.isEmpty else { return nil }
        let anyPublic = answered.contains { dns[$0].answerClass == .public }
        var finding = Finding(code: .nonAmazonResolver, severity: anyPublic ? .warning : .info)
        let answeredSet = Set(answered)
        let flowIndices = flows.indices.filter { flows[$0].isSSM && flows[$0].dnsIndex.map(answeredSet.contains) == true }
        fill(&finding, flowIndices: flowIndices, dnsIndices: answered)
        finding.remedies = anyPublic ? [.route53InboundEndpointForwarder] : []
        return finding
    }

    func noDNSSeenFinding(_ ssmFlows: [Int]) -> Finding? {
        let unmatched = ssmFlows.filter {
            let flow = flows[$0]
            return flow.dnsIndex == nil && !flow.record.partial && flow.record.connect == nil
        }
        guard !unmatched.isEmpty else { return nil }
        var finding = Finding(code: .noDNSSeen, severity: .warning)
        fill(&finding, flowIndices: unmatched, dnsIndices: [])
        return finding
    }

    func ec2messagesFinding(_ ssmFlows: [Int], _ ssmDNS: [Int]) -> Finding? {
        let flowIndices = ssmFlows.filter { flows[$0].endpoint?.service == "ec2messages" }
        let dnsIndices = ssmDNS.filter { dns[$0].endpoint?.service == "ec2messages" }
        guard !flowIndices.isEmpty || !dnsIndices.isEmpty else { return nil }
        var finding = Finding(code: .ec2messagesInUse, severity: .info)
        fill(&finding, flowIndices: flowIndices, dnsIndices: dnsIndices)
        return finding
    }

    func captureIncompleteFinding(_ ssmFlows: [Int]) -> Finding? {
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

    func limitsFinding() -> Finding? {
        let c = counters
        let hits = [c.flowsEvictedAtLimit, c.flowsEvictedIdle, c.flowsNotRetained, c.dnsPendingEvicted, c.dnsNotRetained,
                    c.firstBytesLimitHit]
        guard hits.contains(where: { $0 > 0 }) else { return nil }
        return Finding(code: .limitsHit, severity: .warning, remedies: [.raiseLimits])
    }
}
