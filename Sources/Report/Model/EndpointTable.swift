import Correlate

// MARK: - Rows of the per-endpoint tables

extension ReportContext {
    struct EndpointRow {
        var resolver: IPAddress?
        var resolverClass: ResolverClass?
        /// The address answered or connected to; nil when the query got none.
        var address: IPAddress?
        /// `timeout`, `NXDOMAIN`, ... when there is no address.
        var answerStatus: String?
        var addressClass: AddressClass?
        var labels: [(FlowLabel, Int)] = []
        var attempts = 0
        var synRetransmits = 0
        /// SYNs sent in all attempts, first ones and retransmissions.
        var syns = 0
        var proxied = false
    }

    struct EndpointGroup {
        var hostname: String
        var rows: [EndpointRow]
    }

    /// One group per SSM hostname (first seen first), one row per resolver and address.
    var endpointGroups: [EndpointGroup] {
        var groups: [EndpointGroup] = []
        func groupIndex(_ name: String) -> Int {
            if let i = groups.firstIndex(where: { $0.hostname == name }) { return i }
            groups.append(EndpointGroup(hostname: name, rows: []))
            return groups.count - 1
        }
        for d in analysis.dns where d.isSSM {
            let t = d.transaction
            let g = groupIndex(t.name.text)
            let addresses = t.addresses
            if addresses.isEmpty {
                let status = t.timedOut || t.rcode == nil ? "timeout"
                    : (t.rcode == 0 ? "NOERROR/NODATA" : ProtocolNames.rcode(t.rcode ?? 0))
                if !groups[g].rows.contains(where: { $0.resolver == t.resolver && $0.address == nil && $0.answerStatus == status }) {
                    groups[g].rows.append(EndpointRow(resolver: t.resolver, resolverClass: d.resolverClass, address: nil,
                                                      answerStatus: status, addressClass: nil))
                }
            }
            for a in addresses where !groups[g].rows.contains(where: { $0.resolver == t.resolver && $0.address == a }) {
                groups[g].rows.append(EndpointRow(resolver: t.resolver, resolverClass: d.resolverClass, address: a,
                                                  answerStatus: nil, addressClass: d.answerClass))
            }
        }
        for f in analysis.flows where f.isSSM {
            let g = groupIndex(laneName(f))
            let source = dns(f.dnsIndex)
            let resolver = source?.transaction.resolver
            let row: Int
            if let i = groups[g].rows.firstIndex(where: { $0.address == f.record.server && $0.resolver == resolver }) {
                row = i
            } else {
                groups[g].rows.append(EndpointRow(resolver: resolver, resolverClass: source?.resolverClass,
                                                  address: f.record.server, answerStatus: nil, addressClass: f.addressClass))
                row = groups[g].rows.count - 1
            }
            groups[g].rows[row].addressClass = f.addressClass
            groups[g].rows[row].attempts &+= 1
            groups[g].rows[row].synRetransmits &+= f.record.synRetransmits
            groups[g].rows[row].syns &+= f.record.synCount
            groups[g].rows[row].proxied = groups[g].rows[row].proxied || f.path == .proxy
            if let li = groups[g].rows[row].labels.firstIndex(where: { $0.0 == f.label }) {
                groups[g].rows[row].labels[li].1 &+= 1
            } else {
                groups[g].rows[row].labels.append((f.label, 1))
            }
        }
        return groups
    }

    /// `timeout ×3, vpc-endpoint ×1` or `—`.
    static func labelSummary(_ row: EndpointRow) -> String {
        if row.labels.isEmpty { return "—" }
        return row.labels.map { $0.1 > 1 ? "\($0.0.rawValue) ×\($0.1)" : $0.0.rawValue }.joined(separator: ", ")
    }

    /// Connection attempts, with the SYNs they sent when some were retransmitted: `3 (SYN ×12)`.
    static func attemptsSummary(_ row: EndpointRow) -> String {
        row.synRetransmits > 0 ? "\(row.attempts) (SYN ×\(row.syns))" : "\(row.attempts)"
    }

    static func answerText(_ row: EndpointRow) -> String {
        if let a = row.address { return AddressText.text(a) }
        return row.answerStatus ?? "—"
    }

    static func resolverText(_ row: EndpointRow) -> String {
        guard let r = row.resolver else { return "—" }
        let kind = row.resolverClass == .amazonProvided ? " (AmazonProvidedDNS)" : ""
        return AddressText.text(r) + kind
    }
}
