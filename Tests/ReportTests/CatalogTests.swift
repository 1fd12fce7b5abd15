import Correlate
import Testing
@testable import Report

// MARK: - Every code has words in both languages

@Suite("Message catalog")
struct CatalogTests {
    /// Placeholders used in a template, all of which must be known.
    static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func checkTemplate(_ t: String, _ what: String) {
        #expect(!t.trimmingSpaces().isEmpty, "\(what) is empty")
        for name in placeholders(t) { #expect(Placeholder(rawValue: name) != nil, "\(what): unknown {\(name)}") }
        #expect(t.filter { $0 == "`" }.count % 2 == 0, "\(what): unbalanced backticks")
    }

    @Test("every FindingCode has a title, summary and detail", arguments: ReportLanguage.allCases)
    func findings(_ language: ReportLanguage) {
        let m = Messages(language: language)
        for code in FindingCode.allCases {
            Self.checkTemplate(m.findingTitle(code), "\(language) title \(code)")
            Self.checkTemplate(m.findingSummary(code), "\(language) summary \(code)")
            Self.checkTemplate(m.findingDetail(code), "\(language) detail \(code)")
        }
    }

    @Test("every RemedyCode has a title and detail", arguments: ReportLanguage.allCases)
    func remedies(_ language: ReportLanguage) {
        let m = Messages(language: language)
        for code in RemedyCode.allCases {
            Self.checkTemplate(m.remedyTitle(code), "\(language) remedy title \(code)")
            Self.checkTemplate(m.remedyDetail(code), "\(language) remedy detail \(code)")
        }
        for code in [RemedyCode.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway] {
            Self.checkTemplate(m.remedyUseCase(code) ?? "", "\(language) use case \(code)")
            Self.checkTemplate(m.remedyCaveat(code) ?? "", "\(language) caveat \(code)")
        }
    }

    @Test("every label, evidence kind, severity and UI text is worded", arguments: ReportLanguage.allCases)
    func labels(_ language: ReportLanguage) {
        let m = Messages(language: language)
        for key in UIText.allCases { #expect(!m.ui(key).isEmpty, "\(key)") }
        for label in FlowLabel.allCases { #expect(!m.labelDescription(label).isEmpty) }
        for kind in Messages.allEvidenceKinds { #expect(!m.evidenceKind(kind).isEmpty) }
        for s in Messages.allSeverities { #expect(!m.severity(s).isEmpty) }
        for p in Placeholder.allCases { #expect(!m.fallback(p).isEmpty) }
    }

    @Test("Japanese text is Japanese and uses the AWS documentation terms")
    func japanese() {
        let m = Messages(language: .ja)
        let all = FindingCode.allCases.map { m.findingSummary($0) + m.findingDetail($0) }.joined()
            + RemedyCode.allCases.map { m.remedyTitle($0) + m.remedyDetail($0) }.joined()
        for term in ["VPC エンドポイント", "名前解決", "条件付きフォワーダー", "Route 53 Resolver インバウンドエンドポイント",
                     "セキュリティグループ", "NAT ゲートウェイ", "GODEBUG=tlsmlkem=0", "ssl_state:client_hello"] {
            #expect(all.contains(term), "missing \(term)")
        }
        for code in FindingCode.allCases { #expect(m.findingSummary(code).hasSuffix("。"), "\(code)") }
    }

    @Test("the domain-joined remedies say what the brief requires", arguments: ReportLanguage.allCases)
    func domainJoinedRemedies(_ language: ReportLanguage) {
        let m = Messages(language: language)
        let r53 = m.remedyDetail(.route53InboundEndpointForwarder) + (m.remedyCaveat(.route53InboundEndpointForwarder) ?? "")
        #expect(r53.contains("UDP") && r53.contains("TCP") && r53.contains("53"))
        #expect(r53.contains("ENI"))
        #expect(m.remedyDetail(.hostsFileEntries).contains("C:\\Windows\\System32\\drivers\\etc\\hosts"))
        #expect((m.remedyCaveat(.natGateway) ?? "").contains(language == .en ? "internet" : "インターネット"))
        #expect(m.findingDetail(.tlsFailure).contains("GODEBUG=tlsmlkem=0"))
        #expect(m.findingDetail(.tlsFailure).contains("ssl_state:client_hello"))
    }

    @Test("templates render values escaped and code as code")
    func phrase() {
        let html = Phrase(style: .html, language: .en).render("Ask {resolvers} `nslookup {hosts}` & go",
                                                             [.resolvers: .list(["<a>", "b"], ifEmpty: "x"), .hosts: .data("h<1>")])
        #expect(html == "Ask &lt;a&gt; and b <code>nslookup h&lt;1&gt;</code> &amp; go")
        let ja = Phrase(style: .plain, language: .ja).render("{hosts}", [.hosts: .list(["a", "b", "c", "d", "e", "f"], ifEmpty: "")])
        #expect(ja == "a、b、c、d ほか 2 件")
        let en = Phrase(style: .plain, language: .en).render("{hosts}", [.hosts: .list([], ifEmpty: "the SSM endpoints")])
        #expect(en == "the SSM endpoints")
    }
}

extension String {
    func trimmingSpaces() -> String { String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}

// MARK: - Every finding as the verdict

@Suite("Every finding code in every format")
struct EveryFindingTests {
    static func analysis(for code: FindingCode) -> Analysis {
        var a = Scenario.domainJoined.analysis
        let base = a.findings[0]
        a.findings = [Finding(code: code, severity: .error, hostnames: base.hostnames, resolvers: base.resolvers,
                              addresses: base.addresses, flowIndices: base.flowIndices, dnsIndices: base.dnsIndices,
                              evidence: base.evidence, remedies: RemedyCode.allCases, region: base.region)]
        a.verdict = Verdict(code: code, severity: .error)
        return a
    }

    @Test("no placeholder is left unfilled", arguments: [ReportFormat.text, .markdown, .html, .json], ReportLanguage.allCases)
    func filled(_ format: ReportFormat, _ language: ReportLanguage) {
        for code in FindingCode.allCases {
            let out = ReportWriter.render(Self.analysis(for: code), captures: Scenario.domainJoined.captures,
                                          options: ReportOptions(format: format, language: language, toolVersion: "t"))
            for p in Placeholder.allCases { #expect(!out.contains("{\(p.rawValue)}"), "\(code) \(format) \(language)") }
            let title = Messages(language: language).findingTitle(code)
            #expect(out.contains(format == .html ? Escape.html(title) : title) || format == .text, "\(code) \(format)")
        }
    }

    @Test("text stays within 100 columns even with hostile names", arguments: ReportLanguage.allCases)
    func hostileWidth(_ language: ReportLanguage) {
        let text = EscapingTests.render(.text, language)
        for line in text.split(separator: "\n") { #expect(TextLayout.width(String(line)) <= 100, "\(line)") }
    }
}
