import Flows

// The packets a person can find in Wireshark to check a finding, most telling first, bounded.

enum Evidence {
    /// At most this many items per finding.
    static let limit = 10

    /// The moments of one flow that show its label, most telling first.
    static func items(for flow: AnalyzedFlow, index: Int) -> [EvidenceItem] {
        let record = flow.record
        var moments: [(EvidenceItem.Kind, PacketMoment?)] = []
        let retransmits = record.syns.dropFirst().map { (EvidenceItem.Kind.synRetransmit, Optional($0)) }
        let anyReset = record.serverReset ?? record.clientReset
        switch flow.label {
        case .timeout:
            moments = [(.syn, record.syns.first)] + retransmits + [(.reset, record.clientReset)]
        case .refused:
            moments = [(.syn, record.syns.first), (.reset, record.serverReset), (.reset, record.clientReset)] + retransmits
        case .tlsFailed:
            moments = [(.clientHello, record.clientHelloCompleted), (.alert, record.alertAt), (.reset, anyReset),
                       (.serverHello, record.serverHelloAt), (.syn, record.syns.first), (.synAck, record.synAck)]
        case .reset:
            moments = [(.reset, record.serverReset ?? record.clientReset), (.established, record.establishedAt),
                       (.syn, record.syns.first)]
        case .vpcEndpoint, .natInternet, .proxy:
            moments = [(.established, record.establishedAt), (.serverHello, record.serverHelloAt),
                       (.clientHello, record.clientHelloCompleted), (.syn, record.syns.first), (.synAck, record.synAck)]
        case .incomplete:
            moments = [(.syn, record.syns.first), (.synAck, record.synAck), (.clientHello, record.clientHelloCompleted)]
        }
        return moments.compactMap { kind, moment in moment.map { EvidenceItem(kind: kind, moment: $0, flowIndex: index) } }
    }

    /// The moments of one DNS transaction: the response (it shows the addresses) then the query;
    /// for a timeout, the query.
    static func items(for dns: AnalyzedDNS, index: Int) -> [EvidenceItem] {
        let transaction = dns.transaction
        if transaction.timedOut || transaction.response == nil {
            return [EvidenceItem(kind: .dnsTimeout, moment: transaction.query, dnsIndex: index)]
        }
        var items: [EvidenceItem] = []
        if let response = transaction.response { items.append(EvidenceItem(kind: .dnsResponse, moment: response, dnsIndex: index)) }
        if !transaction.responseOnly { items.append(EvidenceItem(kind: .dnsQuery, moment: transaction.query, dnsIndex: index)) }
        return items
    }

    /// Merges per-subject lists: the first `whole` lists entirely (the most telling subjects), then
    /// the others round-robin, duplicates dropped, at most `limit` items.
    static func merge(_ lists: [[EvidenceItem]], whole: Int = 1) -> [EvidenceItem] {
        var result: [EvidenceItem] = []
        var seen: Set<EvidenceItem> = []
        func add(_ item: EvidenceItem) {
            guard result.count < limit, !seen.contains(item) else { return }
            seen.insert(item)
            result.append(item)
        }
        for list in lists.prefix(whole) { list.forEach(add) }
        let rest = lists.dropFirst(whole)
        var depth = 0
        let deepest = rest.map(\.count).max() ?? 0
        while result.count < limit, depth < deepest {
            for list in rest where depth < list.count { add(list[depth]) }
            depth += 1
        }
        return result
    }
}
