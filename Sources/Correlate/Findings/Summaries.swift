import Flows

// Per-resolver and per-endpoint tallies for the report.

enum ResolverSummaries {
    /// One summary per resolver address asked in the capture (all transactions, not only SSM),
    /// most queries first, then by address.
    static func make(_ transactions: [DNSTransaction], dnsEndpoints: [EndpointIdentity?], classifier: AddressClassifier) -> [ResolverSummary] {
        var byResolver: [IPAddress: ResolverSummary] = [:]
        var ports: [IPAddress: Set<UInt16>] = [:]
        for (index, transaction) in transactions.enumerated() {
            let address = transaction.resolver
            var summary = byResolver[address] ?? {
                let (resolverClass, reason) = classifier.classifyResolver(address)
                return ResolverSummary(address: address, resolverClass: resolverClass, reason: reason, queries: 0, answered: 0, timeouts: 0)
            }()
            if !transaction.responseOnly { summary.queries += 1 }
            if transaction.response != nil { summary.answered += 1 }
            if transaction.timedOut { summary.timeouts += 1 }
            if let rcode = transaction.rcode, rcode != DNSRcode.noError { summary.errors += 1 }
            if index < dnsEndpoints.count, dnsEndpoints[index] != nil { summary.ssmQueries += 1 }
            ports[address, default: []].insert(transaction.resolverPort)
            byResolver[address] = summary
        }
        return byResolver.values.map { summary in
            var summary = summary
            summary.ports = (ports[summary.address] ?? []).sorted()
            return summary
        }.sorted { ($1.queries, $0.address) < ($0.queries, $1.address) }
    }
}

enum EndpointSummaries {
    /// One summary per SSM hostname (flow hostnames and DNS question names), by hostname.
    static func make(flows: [AnalyzedFlow], dns: [AnalyzedDNS]) -> [EndpointSummary] {
        var byName: [DNSName: EndpointSummary] = [:]
        func summary(_ name: DNSName, _ endpoint: EndpointIdentity) -> EndpointSummary {
            byName[name] ?? EndpointSummary(hostname: name, endpoint: endpoint,
                                            purpose: EndpointCatalog.purpose(of: endpoint.service) ?? .agentAPI,
                                            flowIndices: [], dnsIndices: [], addresses: [], resolvers: [],
                                            established: 0, failed: 0, incomplete: 0, lastConclusiveLabel: nil)
        }
        for (index, analyzed) in dns.enumerated() {
            guard analyzed.isSSM, let endpoint = analyzed.endpoint else { continue }
            let name = analyzed.transaction.name
            var entry = summary(name, endpoint)
            entry.dnsIndices.append(index)
            entry.addresses += analyzed.transaction.addresses
            entry.resolvers.append(analyzed.transaction.resolver)
            byName[name] = entry
        }
        // Flows are in time order, so the last conclusive label seen is the latest.
        for (index, flow) in flows.enumerated() {
            guard flow.isSSM, let endpoint = flow.endpoint, let name = flow.hostname else { continue }
            var entry = summary(name, endpoint)
            entry.flowIndices.append(index)
            entry.addresses.append(flow.record.server)
            if flow.label.isEstablished { entry.established += 1 }
            if flow.label.isFailure { entry.failed += 1 }
            if flow.label == .incomplete { entry.incomplete += 1 } else { entry.lastConclusiveLabel = flow.label }
            byName[name] = entry
        }
        return byName.values.map { entry in
            var entry = entry
            entry.addresses = unique(entry.addresses)
            entry.resolvers = unique(entry.resolvers)
            return entry
        }.sorted { $0.hostname < $1.hostname }
    }
}
