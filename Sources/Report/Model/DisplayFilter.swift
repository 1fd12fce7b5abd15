import Correlate

// MARK: - A Wireshark display filter for each finding

extension ReportContext {
    /// A display filter selecting the finding's DNS questions and connections, nil when it names none.
    func displayFilter(for finding: Finding) -> String? {
        var parts: [String] = []
        for name in unique(finding.hostnames.map(\.text)).prefix(4) {
            parts.append("dns.qry.name contains \(Escape.displayFilterString(name))")
        }
        var seen: Set<String> = []
        var addressPorts: [(IPAddress, UInt16)] = finding.flowIndices.prefix(Self.sampleLimit).compactMap { flow($0) }
            .map { ($0.record.server, $0.record.serverPort) }
        if addressPorts.isEmpty { addressPorts = finding.addresses.map { ($0, 443) } }
        for (address, port) in addressPorts {
            let field = AddressText.isIPv6(address) ? "ipv6.addr" : "ip.addr"
            let clause = "(\(field)==\(AddressText.text(address)) && tcp.port==\(port))"
            if seen.insert(clause).inserted, seen.count <= 4 { parts.append(clause) }
        }
        if parts.isEmpty || (finding.addresses.isEmpty && finding.flowIndices.isEmpty) {
            for resolver in finding.resolvers.prefix(2) {
                let field = AddressText.isIPv6(resolver) ? "ipv6.addr" : "ip.addr"
                let clause = "(\(field)==\(AddressText.text(resolver)) && (udp.port==53 || tcp.port==53))"
                if seen.insert(clause).inserted { parts.append(clause) }
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: " || ")
    }
}
