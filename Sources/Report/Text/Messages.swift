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
    case tcpSegments, fromServer, fromClient, clientToServer, serverToClient, evictedQuery
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
    /// The verdict sentence for this finding: a variant when the capture shows more than its code
    /// (a ClientHello that never got through), else `findingSummary(code)`.
    func findingSummary(_ finding: Finding, flows: [AnalyzedFlow] = []) -> String {
        guard let variant = FindingVariant(finding, flows: flows) else { return findingSummary(finding.code) }
        return language == .en ? EnglishCatalog.summary(variant) : JapaneseCatalog.summary(variant)
    }
    /// What the capture shows for this finding: a variant as for `findingSummary(_:)`.
    func findingDetail(_ finding: Finding, flows: [AnalyzedFlow] = []) -> String {
        guard let variant = FindingVariant(finding, flows: flows) else { return findingDetail(finding.code) }
        return language == .en ? EnglishCatalog.detail(variant) : JapaneseCatalog.detail(variant)
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
    /// As `agentLogExplanation(code)`, for the verdict's finding: a resolver or routing failure
    /// whose connections were all refused explains a refusal, not a timeout.
    func agentLogExplanation(_ finding: Finding?, verdict: FindingCode) -> String? {
        guard let finding else { return agentLogExplanation(verdict) }
        let connectFailure: Set<FindingCode> = [.resolverBypassesEndpoint, .noEndpointNoRoute]
        if connectFailure.contains(finding.code), finding.labels.contains(.refused), !finding.labels.contains(.timeout) {
            return agentLogExplanation(.connectionRefused)
        }
        return agentLogExplanation(finding.code)
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
        .alert, .connect, .established, .clientHelloRetransmit,
    ]
    static let allSeverities: [Severity] = [.info, .warning, .error]
}

/// A finding whose evidence calls for its own sentences.
enum FindingVariant: CaseIterable {
    /// tls-failure where the ClientHello never fully reached the server (split, unacknowledged, resent).
    case unacknowledgedClientHello
    /// tls-failure where the instance rejected the server's certificate (a client alert such as
    /// unknown_ca): something on the path inspects TLS with a certificate the agent does not trust.
    case clientRejectedCertificate
    /// tls-failure where the server rejected the ClientHello (protocol_version, insufficient_security):
    /// the instance offers TLS versions or ciphers the endpoint refuses.
    case serverRejectedClientHello

    /// Client alerts about the server's certificate (RFC 8446 §6.2): bad_certificate,
    /// unsupported_certificate, certificate_revoked, certificate_expired, certificate_unknown, unknown_ca.
    static let certificateAlerts: Set<UInt8> = [42, 43, 44, 45, 46, 48]
    /// Server alerts refusing the offered TLS versions or security level: protocol_version,
    /// insufficient_security (as Correlate's choice of the allow-tls12-or-later remedy).
    static let parameterAlerts: Set<UInt8> = [70, 71]

    /// The variant for `finding` (with `flows`, the analysis' flows its indices point into), nil for
    /// the code's ordinary sentences.
    init?(_ finding: Finding, flows: [AnalyzedFlow] = []) {
        guard finding.code == .tlsFailure else { return nil }
        if !finding.unacknowledgedClientHelloFlows.isEmpty {
            self = .unacknowledgedClientHello
            return
        }
        let concerned = finding.flowIndices.compactMap { flows.indices.contains($0) ? flows[$0].record : nil }
        let alerted = concerned.filter { $0.alert != nil }
        // Only when every failed flow ended in the same kind of alert.
        guard !alerted.isEmpty, alerted.count == concerned.count else { return nil }
        if alerted.allSatisfy({ !$0.alertFromServer && Self.certificateAlerts.contains($0.alert?.description ?? 0) }) {
            self = .clientRejectedCertificate
        } else if alerted.allSatisfy({ $0.alertFromServer && Self.parameterAlerts.contains($0.alert?.description ?? 0) }) {
            self = .serverRejectedClientHello
        } else {
            return nil
        }
    }
}
