import Correlate

// MARK: - What every writer derives from the analysis
//
// Raw strings here are data from the capture and are escaped by each writer for its format.

struct ReportContext {
    let analysis: Analysis
    let captures: [CaptureMetadata]
    let options: ReportOptions
    let messages: Messages
    /// Time zero of relative times: the capture start, else the earliest event.
    let origin: Timestamp

    init(analysis: Analysis, captures: [CaptureMetadata], options: ReportOptions) {
        self.analysis = analysis; self.captures = captures; self.options = options
        self.messages = Messages(language: options.language)
        let starts = [analysis.captureStart].compactMap { $0 } + captures.compactMap(\.firstPacket)
            + analysis.dns.map(\.transaction.query.time) + analysis.flows.map(\.record.first.time)
        self.origin = starts.min() ?? Timestamp(nanoseconds: 0)
    }

    func phrase(_ style: TextStyle) -> Phrase { Phrase(style: style, language: options.language) }

    // MARK: - Lookups that never trap

    func flow(_ index: Int?) -> AnalyzedFlow? {
        guard let index, analysis.flows.indices.contains(index) else { return nil }
        return analysis.flows[index]
    }

    func dns(_ index: Int?) -> AnalyzedDNS? {
        guard let index, analysis.dns.indices.contains(index) else { return nil }
        return analysis.dns[index]
    }

    /// The verdict's finding: the first finding with the verdict's code.
    var verdictFinding: Finding? { analysis.findings.first { $0.code == analysis.verdict.code } }

    // MARK: - Names

    /// The name a flow is reported under: its hostname, else SNI, else CONNECT host, else the server address.
    func laneName(_ flow: AnalyzedFlow) -> String {
        if let h = flow.hostname { return h.text }
        if let sni = sni(flow) { return sni }
        if let c = connectHost(flow) { return c }
        return AddressText.text(flow.record.server)
    }

    func sni(_ flow: AnalyzedFlow) -> String? {
        flow.record.clientHello?.serverName.map(Escape.wireBytes)
    }

    func connectHost(_ flow: AnalyzedFlow) -> String? {
        flow.record.connect.map { Escape.wireBytes($0.host) }
    }

    func region(of finding: Finding) -> String? {
        if let r = finding.region { return r }
        for i in finding.flowIndices { if let r = flow(i)?.endpoint?.region { return r } }
        for i in finding.dnsIndices { if let r = dns(i)?.endpoint?.region { return r } }
        return nil
    }

    // MARK: - Sentence values

    /// The values a finding's sentences refer to.
    func values(for finding: Finding?) -> [Placeholder: PhraseValue] {
        let m = messages
        guard let finding else {
            var empty: [Placeholder: PhraseValue] = [:]
            for p in Placeholder.allCases { empty[p] = .list([], ifEmpty: m.fallback(p)) }
            return empty
        }
        let flows = finding.flowIndices.compactMap { flow($0) }
        let dnsItems = finding.dnsIndices.compactMap { dns($0) }
        var clients: [String] = []
        for c in flows.map(\.record.client) + dnsItems.map(\.transaction.client) {
            let t = AddressText.text(c)
            if !clients.contains(t) { clients.append(t) }
        }
        var rcodes: [String] = []
        for d in dnsItems {
            guard let r = d.transaction.rcode else { continue }
            let name = r == 0 && d.transaction.addresses.isEmpty ? "NOERROR/NODATA" : ProtocolNames.rcode(r)
            if !rcodes.contains(name) { rcodes.append(name) }
        }
        var alerts: [String] = []
        for f in flows {
            guard let a = f.record.alert else { continue }
            let name = ProtocolNames.alert(a.description).rfc
            if !alerts.contains(name) { alerts.append(name) }
        }
        let port = flows.first.map { String($0.record.serverPort) } ?? "443"
        return [
            .hosts: .list(unique(finding.hostnames.map(\.text)), ifEmpty: m.fallback(.hosts)),
            .resolvers: .list(unique(finding.resolvers.map(AddressText.text)), ifEmpty: m.fallback(.resolvers)),
            .addresses: .list(unique(finding.addresses.map(AddressText.text)), ifEmpty: m.fallback(.addresses)),
            .clients: .list(clients, ifEmpty: m.fallback(.clients)),
            .region: region(of: finding).map(PhraseValue.data) ?? .list([], ifEmpty: m.fallback(.region)),
            .rcode: .list(rcodes, ifEmpty: m.fallback(.rcode)),
            .alert: .list(alerts, ifEmpty: m.fallback(.alert)),
            .port: .data(port),
        ]
    }

    /// The verdict sentence in the report's language, for a style.
    func verdictSentence(_ style: TextStyle) -> String {
        phrase(style).render(messages.findingSummary(analysis.verdict.code), values(for: verdictFinding))
    }

    // MARK: - Wireshark display filter

    /// A display filter selecting the finding's DNS questions and connections, nil when it names none.
    func displayFilter(for finding: Finding) -> String? {
        var parts: [String] = []
        for name in unique(finding.hostnames.map(\.text)).prefix(4) {
            parts.append("dns.qry.name contains \(Escape.displayFilterString(name))")
        }
        var seen: Set<String> = []
        var addressPorts: [(IPAddress, UInt16)] = finding.flowIndices.compactMap { flow($0) }
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

    // MARK: - amazon-ssm-agent.log

    /// Lines amazon-ssm-agent.log shows for this finding (Go net and crypto/tls error text), at most two.
    func agentLogLines(for finding: Finding) -> [String] {
        let flows = finding.flowIndices.compactMap { flow($0) }
        let dnsItems = finding.dnsIndices.compactMap { dns($0) }
        let fallbackHost = finding.hostnames.first?.text ?? "ssm.\(region(of: finding) ?? "<region>").amazonaws.com"
        var lines: [String] = []
        func add(_ line: String) { if !lines.contains(line) && lines.count < 2 { lines.append(line) } }
        func url(_ f: AnalyzedFlow) -> String { "Post \"https://\(f.hostname?.text ?? fallbackHost)/\"" }
        func dial(_ f: AnalyzedFlow) -> String { AddressText.endpoint(f.record.server, port: f.record.serverPort) }

        switch finding.code {
        case .resolverBypassesEndpoint, .noEndpointNoRoute, .endpointUnreachable:
            for f in flows { add("\(url(f)): dial tcp \(dial(f)): i/o timeout") }
            if lines.isEmpty, let a = finding.addresses.first {
                add("Post \"https://\(fallbackHost)/\": dial tcp \(AddressText.endpoint(a, port: 443)): i/o timeout")
            }
        case .connectionRefused:
            for f in flows { add("\(url(f)): dial tcp \(dial(f)): connect: connection refused") }
        case .tlsFailure:
            for f in flows {
                if let alert = f.record.alert, f.record.alertFromServer {
                    add("\(url(f)): remote error: tls: \(ProtocolNames.alert(alert.description).go)")
                } else if f.record.alert != nil || f.record.serverHello != nil {
                    add("\(url(f)): tls: failed to verify certificate: x509: certificate signed by unknown authority")
                } else if f.record.serverReset != nil {
                    add("\(url(f)): read tcp \(AddressText.endpoint(f.record.client, port: f.record.clientPort))->\(dial(f)): read: connection reset by peer")
                } else {
                    add("\(url(f)): net/http: TLS handshake timeout")
                }
            }
        case .connectionReset:
            for f in flows {
                add("\(url(f)): read tcp \(AddressText.endpoint(f.record.client, port: f.record.clientPort))->\(dial(f)): read: connection reset by peer")
            }
        case .dnsUnreachable:
            for d in dnsItems {
                let t = d.transaction
                let resolver = AddressText.endpoint(t.resolver, port: t.resolverPort)
                add("dial tcp: lookup \(t.name.text) on \(resolver): read \(t.transport.rawValue) \(AddressText.endpoint(t.client, port: t.clientPort))->\(resolver): i/o timeout")
            }
        case .dnsError:
            for d in dnsItems {
                let t = d.transaction
                let resolver = AddressText.endpoint(t.resolver, port: t.resolverPort)
                let reason = t.rcode == DNSRcode.servFail || t.rcode == DNSRcode.refused ? "server misbehaving" : "no such host"
                add("dial tcp: lookup \(t.name.text) on \(resolver): \(reason)")
            }
        default:
            break
        }
        return lines
    }

    // MARK: - Endpoint tables

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
            groups[g].rows[row].attempts += 1
            groups[g].rows[row].synRetransmits += f.record.synRetransmits
            groups[g].rows[row].proxied = groups[g].rows[row].proxied || f.path == .proxy
            if let li = groups[g].rows[row].labels.firstIndex(where: { $0.0 == f.label }) {
                groups[g].rows[row].labels[li].1 += 1
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

    /// `4 (SYN ×12)` or `0`.
    static func attemptsSummary(_ row: EndpointRow) -> String {
        row.synRetransmits > 0 ? "\(row.attempts) (SYN+\(row.synRetransmits))" : "\(row.attempts)"
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

    // MARK: - Small helpers

    func unique(_ items: [String]) -> [String] {
        var out: [String] = []
        for i in items where !out.contains(i) { out.append(i) }
        return out
    }

    func relative(_ t: Timestamp) -> String { TimeText.offset(t, from: origin) }

    /// `#12` or `#12 (file 2)` when the capture set has several files.
    func frameText(_ ref: PacketRef) -> String {
        captures.count > 1 ? "#\(ref.number) (\(ref.fileIndex &+ 1))" : "#\(ref.number)"
    }
}
