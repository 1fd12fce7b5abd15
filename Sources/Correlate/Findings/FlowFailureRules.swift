import Flows

// Root causes from SSM flows that failed: which cause each failure points to, and the remedies.

extension FindingRules {
    // MARK: - Failed flows

    /// One finding per cause among the failed SSM flows.
    func flowFailureFindings(_ ssmFlows: [Int]) -> [Finding] {
        let working = workingServices, coreSeen = coreSeen
        var byCause: [FindingCode: [Int]] = [:]
        var droppedSplitHello = false
        var answering: [Int: Int] = [:]
        var answersByName: [DNSName: [Int]] = [:]
        for index in dns.indices where dns[index].isSSM && !dns[index].transaction.addresses.isEmpty
            && !dns[index].isFromLocalStub {
            answersByName[dns[index].transaction.name, default: []].append(index)
        }
        for index in ssmFlows where flows[index].label.isFailure {
            let dnsIndex = answeringDNS(forFlow: index, answersByName: answersByName)
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
    func cause(ofFlow index: Int, answeringDNS dnsIndex: Int?) -> (FindingCode, Bool) {
        let flow = flows[index]
        if FlowLabeler.isDroppedSplitClientHello(flow.record, label: flow.label) { return (.tlsFailure, true) }
        // No way to the public address at all: a DNS problem (non-Amazon resolver) or no route.
        // Once TCP is up the path works, and a TLS failure or reset is the cause.
        if flow.path != .proxy, flow.addressClass == .public, flow.label == .timeout || flow.label == .refused {
            let resolverClass = dnsIndex.map { dns[$0].resolverClass }
            return (resolverClass == .other ? .resolverBypassesEndpoint : .noEndpointNoRoute, false)
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
    func answeringDNS(forFlow index: Int, answersByName: [DNSName: [Int]]) -> Int? {
        let flow = flows[index]
        if let matched = flow.dnsIndex { return matched }
        guard let hostname = flow.hostname, let all = answersByName[hostname] else { return nil }
        // The latest few answers only: bounded work per flow.
        let answers = all.suffix(Self.unmatchedLookback)
        return answers.last { dns[$0].transaction.addresses.contains(flow.record.server) } ?? answers.last
    }

    func remedies(for code: FindingCode, flowIndices: [Int], droppedSplitHello: Bool) -> [RemedyCode] {
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
}
