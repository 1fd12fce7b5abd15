import Flows

// Per-resolver and per-endpoint tallies for the report.

enum ResolverSummaries {
    /// One summary per resolver address asked in the capture (all transactions, not only SSM),
    /// most queries first, then by address.
    static func make(_ transactions: [DNSTransaction], dnsEndpoints: [EndpointIdentity?], classifier: AddressClassifier) -> [ResolverSummary] {
        // Summaries by position, mutated in place; a transaction is read field by field, not copied.
        var summaries: [ResolverSummary] = []
        var ports: [Set<UInt16>] = []
        var position: [IPAddress: Int] = [:]
        for index in transactions.indices {
            let address = transactions[index].resolver
            let at: Int
            if let existing = position[address] {
                at = existing
            } else {
                let (resolverClass, reason) = classifier.classifyResolver(address)
                at = summaries.count
                summaries.append(ResolverSummary(address: address, resolverClass: resolverClass, reason: reason,
                                                 queries: 0, answered: 0, timeouts: 0))
                ports.append([])
                position[address] = at
            }
            if !transactions[index].responseOnly { summaries[at].queries &+= 1 }
            if transactions[index].response != nil { summaries[at].answered &+= 1 }
            if transactions[index].timedOut { summaries[at].timeouts &+= 1 }
            if let rcode = transactions[index].rcode, rcode != DNSRcode.noError { summaries[at].errors &+= 1 }
            if index < dnsEndpoints.count, dnsEndpoints[index] != nil { summaries[at].ssmQueries &+= 1 }
            ports[at].insert(transactions[index].resolverPort)
        }
        return summaries.indices.map { at in
            var summary = summaries[at]
            summary.ports = ports[at].sorted()
            return summary
        }.sorted { ($1.queries, $0.address) < ($0.queries, $1.address) }
    }
}

enum EndpointSummaries {
    /// One summary per SSM hostname (flow hostnames and DNS question names), by hostname.
    static func make(flows: [AnalyzedFlow], dns: [AnalyzedDNS]) -> [EndpointSummary] {
        var entries: [EndpointSummary] = []
        var position: [DNSName: Int] = [:]
        // The entry's position, created on first sight; entries are then mutated in place (no copies).
        func slot(_ name: DNSName, _ endpoint: EndpointIdentity) -> Int {
            if let existing = position[name] { return existing }
            entries.append(EndpointSummary(hostname: name, endpoint: endpoint,
                                           purpose: EndpointCatalog.purpose(of: endpoint.service) ?? .agentAPI,
                                           flowIndices: [], dnsIndices: [], addresses: [], resolvers: [],
                                           established: 0, failed: 0, incomplete: 0, lastConclusiveLabel: nil))
            position[name] = entries.count - 1
            return entries.count - 1
        }
        for (index, analyzed) in dns.enumerated() {
            guard analyzed.isSSM, let endpoint = analyzed.endpoint else { continue }
            let at = slot(analyzed.transaction.name, endpoint)
            entries[at].dnsIndices.append(index)
            entries[at].addresses += analyzed.transaction.addresses
            entries[at].resolvers.append(analyzed.transaction.resolver)
        }
        // Flows are in time order, so the last conclusive label seen is the latest.
        for (index, flow) in flows.enumerated() {
            guard flow.isSSM, let endpoint = flow.endpoint, let name = flow.hostname else { continue }
            let at = slot(name, endpoint)
            entries[at].flowIndices.append(index)
            entries[at].addresses.append(flow.record.server)
            if flow.label.isEstablished { entries[at].established &+= 1 }
            if flow.label.isFailure { entries[at].failed &+= 1 }
            if flow.label == .incomplete { entries[at].incomplete &+= 1 } else { entries[at].lastConclusiveLabel = flow.label }
        }
        for at in entries.indices {
            entries[at].addresses = unique(entries[at].addresses)
            entries[at].resolvers = unique(entries[at].resolvers)
        }
        return entries.sorted { $0.hostname < $1.hostname }
    }
}
