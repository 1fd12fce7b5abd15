import Flows

// Root causes and warnings from SSM DNS: unreachable resolvers, error answers, fallbacks.

extension FindingRules {
    // MARK: - DNS

    /// dns-unreachable and dns-error (roots), resolver-fallback (warnings), per SSM name.
    func dnsFindings(_ ssmDNS: [Int]) -> (roots: [Finding], fallbacks: [Finding]) {
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
            if responded, !timedOut.isEmpty { fallbacks += fallbackTransactions(indices) }
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

    /// Timeouts followed (in query order) by an answer from another resolver, and those answers.
    /// Linear in the name's transactions: each timeout is reported at most once.
    func fallbackTransactions(_ indices: [Int]) -> [Int] {
        var pendingTimeouts: [IPAddress: [Int]] = [:]
        var result: [Int] = []
        for index in indices {
            let transaction = dns[index].transaction
            if transaction.timedOut, transaction.response == nil {
                pendingTimeouts[transaction.resolver, default: []].append(index)
            } else if transaction.response != nil {
                let others = pendingTimeouts.keys.filter { $0 != transaction.resolver }
                guard !others.isEmpty else { continue }
                result.append(index)
                for resolver in others { result += pendingTimeouts.removeValue(forKey: resolver) ?? [] }
            }
        }
        return result
    }
}
