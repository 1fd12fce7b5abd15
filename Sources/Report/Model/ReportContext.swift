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

    /// True when the verdict is one of the healthy paths.
    var isHealthy: Bool { [FindingCode.healthyVPCEndpoint, .healthyInternet, .healthyProxy].contains(analysis.verdict.code) }

    /// The word on the verdict's badge: "healthy" for a healthy path, else the severity.
    var verdictBadge: String { isHealthy ? messages.ui(.healthy) : messages.severity(analysis.verdict.severity) }

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
        // Sentences name at most a few values: a bounded sample of the finding's flows and DNS is enough.
        let flows = finding.flowIndices.prefix(Self.sampleLimit).compactMap { flow($0) }
        let dnsItems = finding.dnsIndices.prefix(Self.sampleLimit).compactMap { dns($0) }
        let clients = unique((flows.map(\.record.client) + dnsItems.map(\.transaction.client)).map(AddressText.text))
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

    // MARK: - Small helpers

    /// Items in first-seen order without repeats.
    func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    /// How many of a finding's flows or DNS transactions are looked at for its sentences, filter and log lines.
    static let sampleLimit = 256

    /// Rows of the long tables (timeline, DNS, evidence) in Markdown and HTML; the JSON report has them all.
    static let tableRowLimit = 200

    func relative(_ t: Timestamp) -> String { TimeText.offset(t, from: origin) }

    /// `#12` or `#12 (file 2)` when the capture set has several files.
    func frameText(_ ref: PacketRef) -> String {
        captures.count > 1 ? "#\(ref.number) (\(ref.fileIndex &+ 1))" : "#\(ref.number)"
    }
}
