import Correlate
import Flows  // TLSAlert
import Testing
@testable import Report

// MARK: - Sentences that follow what the finding shows, not only its code

@Suite("Finding variants and agent-log lines")
struct FindingVariantTests {
    private func context(_ analysis: Analysis, _ scenario: Scenario, _ language: ReportLanguage = .en) -> ReportContext {
        ReportContext(analysis: analysis, captures: scenario.captures,
                      options: ReportOptions(format: .markdown, language: language, toolVersion: "t"))
    }

    // MARK: tls-failure with a ClientHello that never got through

    @Test("an unacknowledged ClientHello is named in the verdict and the detail", arguments: ReportLanguage.allCases)
    func unacknowledgedClientHello(_ language: ReportLanguage) throws {
        var analysis = Scenario.tlsFailure.analysis
        let plainSentence = context(analysis, .tlsFailure, language).verdictSentence(.plain)
        analysis.findings[0].unacknowledgedClientHelloFlows = [0, 1]
        let sentence = context(analysis, .tlsFailure, language).verdictSentence(.plain)
        let marker = language == .en ? "never fully reaches the server" : "届き切らず"
        #expect(sentence.contains(marker))
        #expect(!plainSentence.contains(marker))
        let markdown = ReportWriter.render(analysis, captures: Scenario.tlsFailure.captures,
                                           options: ReportOptions(format: .markdown, language: language, toolVersion: "t"))
        #expect(markdown.contains(marker))
        #expect(markdown.contains("GODEBUG=tlsmlkem=0"))
        let json = ReportWriter.render(analysis, captures: Scenario.tlsFailure.captures,
                                       options: ReportOptions(format: .json, language: language, toolVersion: "t"))
        #expect(json.contains(marker))
    }

    @Test("the variant applies to tls-failure only")
    func variantOnlyForTLSFailure() {
        var finding = Finding(code: .connectionReset, severity: .error)
        finding.unacknowledgedClientHelloFlows = [0]
        #expect(FindingVariant(finding) == nil)
        finding.code = .tlsFailure
        #expect(FindingVariant(finding) == .unacknowledgedClientHello)
        finding.unacknowledgedClientHelloFlows = []
        #expect(FindingVariant(finding) == nil)
    }

    @Test("every variant has its sentences", arguments: ReportLanguage.allCases)
    func variantCatalog(_ language: ReportLanguage) {
        var finding = Finding(code: .tlsFailure, severity: .error)
        finding.unacknowledgedClientHelloFlows = [0]
        let m = Messages(language: language)
        #expect(!m.findingSummary(finding).isEmpty && m.findingSummary(finding) != m.findingSummary(.tlsFailure))
        #expect(!m.findingDetail(finding).isEmpty && m.findingDetail(finding) != m.findingDetail(.tlsFailure))
        #expect(!m.evidenceKind(.clientHelloRetransmit).isEmpty)
    }

    // MARK: agent-log lines follow the flows' labels

    /// The domain-joined scenario with every connection `label` (timeout or refused).
    private func domainJoined(_ label: FlowLabel) -> Analysis {
        var analysis = Scenario.domainJoined.analysis
        for index in analysis.flows.indices { analysis.flows[index].label = label }
        analysis.findings[0].labels = [label]
        return analysis
    }

    @Test("refused connections to public addresses log 'connection refused'", arguments: [FindingCode.resolverBypassesEndpoint, .noEndpointNoRoute])
    func refusedLines(_ code: FindingCode) throws {
        var analysis = domainJoined(.refused)
        analysis.findings[0].code = code
        analysis.verdict.code = code
        let c = context(analysis, .domainJoined)
        let lines = c.agentLogLines(for: analysis.findings[0])
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasSuffix(": connect: connection refused") && $0.contains("dial tcp 203.0.113.") })
        let markdown = ReportWriter.render(analysis, captures: Scenario.domainJoined.captures,
                                           options: ReportOptions(format: .markdown, toolVersion: "t"))
        #expect(markdown.contains(EnglishCatalog.agentLog(.connectionRefused) ?? "-"))
        #expect(!markdown.contains("i/o timeout"))
    }

    @Test("timed-out connections log 'i/o timeout'")
    func timeoutLines() {
        let analysis = domainJoined(.timeout)
        let lines = context(analysis, .domainJoined).agentLogLines(for: analysis.findings[0])
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasSuffix(": i/o timeout") })
    }

    @Test("without flows the line follows the finding's labels")
    func labelsWithoutFlows() {
        let analysis = domainJoined(.refused)
        var finding = analysis.findings[0]
        finding.flowIndices = []
        let c = context(analysis, .domainJoined)
        #expect(c.agentLogLines(for: finding).first?.hasSuffix("dial tcp 203.0.113.21:443: connect: connection refused") == true)
        finding.labels = [.timeout, .refused]
        #expect(c.agentLogLines(for: finding).first?.hasSuffix(": i/o timeout") == true)
    }
}

// MARK: - tls-failure by the alert that ended it

@Suite("TLS alert variants")
struct TLSAlertVariantTests {
    /// The tls-failure scenario with both flows ended by `alert` from the server or the client.
    private func alerted(_ description: UInt8, fromServer: Bool) -> Analysis {
        var analysis = Scenario.tlsFailure.analysis
        for index in analysis.flows.indices {
            analysis.flows[index].record.alert = TLSAlert(level: 2, description: description)
            analysis.flows[index].record.alertFromServer = fromServer
            analysis.flows[index].record.alertAt = analysis.flows[index].record.clientHelloCompleted
        }
        return analysis
    }

    @Test func serverProtocolVersionAlertIsARejectedClientHello() {
        let a = alerted(70, fromServer: true)
        #expect(FindingVariant(a.findings[0], flows: a.flows) == .serverRejectedClientHello)
        let text = Messages(language: .en).findingDetail(a.findings[0], flows: a.flows)
        #expect(text.contains("TLS 1.2 or later"))
    }

    @Test func clientUnknownCAAlertIsARejectedCertificate() {
        let a = alerted(48, fromServer: false)
        #expect(FindingVariant(a.findings[0], flows: a.flows) == .clientRejectedCertificate)
    }

    @Test func otherOrMixedAlertsKeepTheGeneralSentences() {
        #expect(FindingVariant(alerted(80, fromServer: true).findings[0], flows: alerted(80, fromServer: true).flows) == nil)
        var mixed = alerted(48, fromServer: false)
        mixed.flows[1].record.alert = nil
        #expect(FindingVariant(mixed.findings[0], flows: mixed.flows) == nil)
        // Without the flows nothing is known about the alerts.
        #expect(FindingVariant(alerted(70, fromServer: true).findings[0]) == nil)
    }

    @Test("every variant has sentences in both languages", arguments: ReportLanguage.allCases)
    func catalog(_ language: ReportLanguage) {
        for variant in FindingVariant.allCases {
            #expect(!EnglishCatalog.summary(variant).isEmpty && !EnglishCatalog.detail(variant).isEmpty)
            #expect(!JapaneseCatalog.summary(variant).isEmpty && !JapaneseCatalog.detail(variant).isEmpty)
            #expect(JapaneseCatalog.summary(variant).hasSuffix("。"))
        }
    }
}

// MARK: - Agent-log lines through a proxy

@Suite("Agent-log lines through a proxy")
struct ProxyAgentLogTests {
    private func lines(_ code: FindingCode, label: FlowLabel, status: Int?) -> [String] {
        var analysis = Scenario.proxy.analysis
        analysis.flows[0].label = label
        analysis.flows[0].record.connectStatus = status
        var finding = Finding(code: code, severity: .error, flowIndices: [0])
        finding.labels = [label]
        let context = ReportContext(analysis: analysis, captures: Scenario.proxy.captures,
                                    options: ReportOptions(format: .text, toolVersion: "t"))
        return context.agentLogLines(for: finding)
    }

    @Test func connectRefusedByTheProxyLogsItsStatus() {
        #expect(lines(.connectionRefused, label: .refused, status: 407)
                == ["Post \"https://ssm.us-east-1.amazonaws.com/\": Proxy Authentication Required"])
        #expect(lines(.connectionRefused, label: .refused, status: 599).first?.hasSuffix(": 599") == true)
    }

    @Test func dialFailuresToTheProxyAreProxyconnect() {
        #expect(lines(.endpointUnreachable, label: .timeout, status: nil)
                == ["Post \"https://ssm.us-east-1.amazonaws.com/\": proxyconnect tcp: dial tcp 10.0.5.10:3128: i/o timeout"])
        #expect(lines(.connectionRefused, label: .refused, status: nil)
                == ["Post \"https://ssm.us-east-1.amazonaws.com/\": proxyconnect tcp: dial tcp 10.0.5.10:3128: connect: connection refused"])
    }
}
