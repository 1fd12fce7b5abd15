import Correlate

// MARK: - Message catalog
//
// Every sentence of the text, Markdown and HTML reports comes from here, in English or Japanese.
// Sentences are templates (see `Phrase`): `{hosts}`, `{resolvers}`, `{addresses}`, `{clients}`,
// `{region}`, `{rcode}`, `{alert}`, `{port}` are filled with values from the capture, and `code` spans
// are shown as code.

/// Headings, column names and short labels.
enum UIText: CaseIterable {
    case reportTitle, summary, verdict, severity, timeline, endpoints, dnsQueries, findings, evidence, remedies
    case displayFilter, agentLog, agentLogIntro, agentLogNone, remedyComparison, remedy, useCase, caveat
    case captureMetadata, file, format, linkTypes, packets, bytes, firstPacket, lastPacket, truncated
    case undecodable, warnings, hostname, resolver, answer, addressClass, label, attempts, synRetransmits
    case time, frame, event, client, server, type, rcode, rtt, status, timedOut, answered, noAnswer
    case legend, dnsQuery, dnsAnswer, vpcCIDRs, inferred, given, resolvers, resolverClass, queries, counters
    case generatedBy, none, moreEvents, whatToDo, noEndpoints, noDNS, notConnected, tlsVersion, sni
    case captureWindow, timelineCaption, seconds, noFindings, more, moreRows, healthy
    case tcpSegments, fromServer, fromClient, clientToServer, serverToClient
}

struct Messages {
    let language: ReportLanguage

    func ui(_ key: UIText) -> String {
        language == .en ? EnglishCatalog.ui(key) : JapaneseCatalog.ui(key)
    }
    func findingTitle(_ code: FindingCode) -> String {
        language == .en ? EnglishCatalog.title(code) : JapaneseCatalog.title(code)
    }
    /// The one-sentence verdict for a finding (template).
    func findingSummary(_ code: FindingCode) -> String {
        language == .en ? EnglishCatalog.summary(code) : JapaneseCatalog.summary(code)
    }
    /// What the capture shows and why it matters (template).
    func findingDetail(_ code: FindingCode) -> String {
        language == .en ? EnglishCatalog.detail(code) : JapaneseCatalog.detail(code)
    }
    func remedyTitle(_ code: RemedyCode) -> String {
        language == .en ? EnglishCatalog.remedyTitle(code) : JapaneseCatalog.remedyTitle(code)
    }
    /// How to apply the remedy (template).
    func remedyDetail(_ code: RemedyCode) -> String {
        language == .en ? EnglishCatalog.remedyDetail(code) : JapaneseCatalog.remedyDetail(code)
    }
    /// When to choose the remedy and what it costs: the three remedies of the domain-joined case have them.
    func remedyUseCase(_ code: RemedyCode) -> String? {
        language == .en ? EnglishCatalog.remedyUseCase(code) : JapaneseCatalog.remedyUseCase(code)
    }
    func remedyCaveat(_ code: RemedyCode) -> String? {
        language == .en ? EnglishCatalog.remedyCaveat(code) : JapaneseCatalog.remedyCaveat(code)
    }
    /// What amazon-ssm-agent.log shows for this finding (template around the log line), nil if nothing.
    func agentLogExplanation(_ code: FindingCode) -> String? {
        language == .en ? EnglishCatalog.agentLog(code) : JapaneseCatalog.agentLog(code)
    }
    func evidenceKind(_ kind: EvidenceItem.Kind) -> String {
        language == .en ? EnglishCatalog.evidenceKind(kind) : JapaneseCatalog.evidenceKind(kind)
    }
    func labelDescription(_ label: FlowLabel) -> String {
        language == .en ? EnglishCatalog.labelDescription(label) : JapaneseCatalog.labelDescription(label)
    }
    func severity(_ severity: Severity) -> String {
        language == .en ? EnglishCatalog.severity(severity) : JapaneseCatalog.severity(severity)
    }
    /// Authored text used when a placeholder's list is empty.
    func fallback(_ placeholder: Placeholder) -> String {
        language == .en ? EnglishCatalog.fallback(placeholder) : JapaneseCatalog.fallback(placeholder)
    }

    /// All evidence kinds (the enum is not CaseIterable in Correlate's contract).
    static let allEvidenceKinds: [EvidenceItem.Kind] = [
        .dnsQuery, .dnsResponse, .dnsTimeout, .syn, .synRetransmit, .synAck, .reset, .clientHello, .serverHello,
        .alert, .connect, .established,
    ]
    static let allSeverities: [Severity] = [.info, .warning, .error]
}
