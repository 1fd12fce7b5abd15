import Correlate
import Testing
@testable import Report

// MARK: - Every format in every language, for every scenario, against golden files

@Suite("Golden reports")
struct GoldenTests {
    static let cases: [(Scenario, ReportFormat, ReportLanguage)] = Scenario.allCases.flatMap { s in
        ReportFormat.allCases.flatMap { f in ReportLanguage.allCases.map { (s, f, $0) } }
    }

    static func fileName(_ s: Scenario, _ f: ReportFormat, _ l: ReportLanguage) -> String {
        "\(s.rawValue).\(l.rawValue).\(f.fileExtension)"
    }

    @Test("matches the golden file", arguments: cases)
    func golden(_ scenario: Scenario, _ format: ReportFormat, _ language: ReportLanguage) throws {
        let options = ReportOptions(format: format, language: language, color: false, toolVersion: "0.0.0-test")
        let output = ReportWriter.render(scenario.analysis, captures: scenario.captures, options: options)
        try Golden.check(output, name: Self.fileName(scenario, format, language))
    }

    @Test("the coloured text report differs only by ANSI sequences")
    func colour() {
        let a = Scenario.domainJoined.analysis
        let plain = ReportWriter.render(a, captures: Scenario.domainJoined.captures,
                                        options: ReportOptions(format: .text, color: false, toolVersion: "t"))
        let coloured = ReportWriter.render(a, captures: Scenario.domainJoined.captures,
                                           options: ReportOptions(format: .text, color: true, toolVersion: "t"))
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[31"))
        #expect(stripANSI(coloured) == plain)
    }

    @Test("text reports stay within 100 columns", arguments: Scenario.allCases, ReportLanguage.allCases)
    func width(_ scenario: Scenario, _ language: ReportLanguage) {
        let text = ReportWriter.render(scenario.analysis, captures: scenario.captures,
                                       options: ReportOptions(format: .text, language: language, toolVersion: "t"))
        for line in text.split(separator: "\n") {
            #expect(TextLayout.width(String(line)) <= 100, "too wide: \(line)")
        }
    }

    @Test("the verdict sentence comes first in every human format", arguments: ReportLanguage.allCases)
    func verdictFirst(_ language: ReportLanguage) {
        let s = Scenario.domainJoined
        let sentence = ReportContext(analysis: s.analysis, captures: s.captures,
                                     options: ReportOptions(format: .text, language: language, toolVersion: "t")).verdictSentence(.plain)
        let text = ReportWriter.render(s.analysis, captures: s.captures, options: ReportOptions(format: .markdown, language: language, toolVersion: "t"))
        let firstParagraph = text.split(separator: "\n").dropFirst().first { !$0.isEmpty } ?? ""
        #expect(firstParagraph.contains(language == .en ? "The SSM agent cannot connect" : "SSM エージェントは接続できません"))
        #expect(!sentence.isEmpty)
    }
}

func stripANSI(_ s: String) -> String {
    var out = ""
    var inEscape = false
    for scalar in s.unicodeScalars {
        if inEscape { if scalar == "m" { inEscape = false }; continue }
        if scalar == "\u{1B}" { inEscape = true; continue }
        out.unicodeScalars.append(scalar)
    }
    return out
}
