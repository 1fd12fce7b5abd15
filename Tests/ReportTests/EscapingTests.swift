import Correlate
import Foundation
import Testing
@testable import Report

// MARK: - Hostile names from the capture, in every format

@Suite("Escaping of capture data")
struct EscapingTests {
    static let hostileName = "<script>alert(1)</script>|`rm -rf`|\u{1B}[31mred\u{1B}[0m\n# heading *x* _y_ [z](http://evil)"
    static let hostileSNI = "ssm.ap-northeast-1.amazonaws.com\u{1B}]0;pwned\u{07}<img src=x onerror=alert(2)>"
    static let hostileConnect = "evil.example|`x`\r\nInjected: yes"

    /// An analysis whose names, SNI, CONNECT target and CNAME are hostile.
    static func hostile() -> Analysis {
        let resolver = v4("10.0.0.10")
        let dns = makeDNS(DNSSpec(name: hostileName, resolver: resolver, resolverClass: .other, query: at(0, frame: 1),
                                  response: at(2, frame: 2), addresses: [v4("203.0.113.9")], cname: "cname`|<b>\u{1B}[2J"))
        var flow = makeFlow(FlowSpec(clientPort: 50000, server: v4("203.0.113.9"), syns: Scenarios.synTrain(3, frame: 3),
                                     hostname: hostileName, dnsIndex: 0, addressClass: .public, path: .internet, label: .timeout,
                                     sni: hostileSNI, clientHelloAt: at(4, frame: 4), connectHost: hostileConnect, connectStatus: 200))
        flow.isSSM = true
        var d = dns
        d.isSSM = true
        let finding = Finding(code: .resolverBypassesEndpoint, severity: .error, hostnames: [DNSName(hostileName)],
                              resolvers: [resolver], addresses: [v4("203.0.113.9")], flowIndices: [0], dnsIndices: [0],
                              evidence: [EvidenceItem(kind: .dnsResponse, moment: at(2, frame: 2), dnsIndex: 0),
                                         EvidenceItem(kind: .syn, moment: at(3, frame: 3), flowIndex: 0)],
                              remedies: [.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway],
                              region: "ap-northeast-1`|<i>")
        return Analysis(dns: [d], flows: [flow], findings: [finding], verdict: Verdict(code: .resolverBypassesEndpoint, severity: .error),
                        resolvers: [], vpc: Scenarios.vpc, counters: FlowCounters(), decodeAnomalies: DecodeAnomalies(),
                        captureStart: scenarioStart, captureEnd: at(10_000, frame: 50).time, includesAllTraffic: false)
    }

    static let captures = [CaptureMetadata(path: "/tmp/<b>|`evil`\u{1B}[1m.pcap", format: "pcap", linkTypes: ["EN10MB"], packets: 50,
                                           bytes: 5_000, firstPacket: scenarioStart, lastPacket: at(10_000, frame: 50).time,
                                           truncated: 0, undecodable: 0, warnings: ["cut <mid> record\u{1B}[0m"])]

    static func render(_ format: ReportFormat, _ language: ReportLanguage = .en) -> String {
        ReportWriter.render(hostile(), captures: captures, options: ReportOptions(format: format, language: language, toolVersion: "t"))
    }

    @Test("no control character from the capture reaches any human-readable format",
          arguments: [ReportFormat.text, .markdown, .html], ReportLanguage.allCases)
    func noControls(_ format: ReportFormat, _ language: ReportLanguage) {
        let out = Self.render(format, language)
        #expect(!out.contains("\u{1B}"))
        #expect(!out.contains("\u{07}"))
        #expect(!out.contains("\r"))
        #expect(out.contains("\\x1b[31m"), "escape sequences are shown visibly")
    }

    @Test("HTML: no markup from the capture, no script, nothing fetched")
    func html() {
        let out = Self.render(.html)
        #expect(!out.lowercased().contains("<script"))
        #expect(!out.contains("<img"))
        #expect(!out.contains("<b>"))
        #expect(!out.contains("<i>"))
        #expect(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(out.contains("&lt;img src=x onerror=alert(2)&gt;"))
        // No attribute fetches anything: src/href never point at a URL.
        for attribute in ["src=\"", "href=\"", "src='", "href='", "url("] {
            for piece in out.components(separatedBy: attribute).dropFirst() {
                #expect(!piece.hasPrefix("http:") && !piece.hasPrefix("https:") && !piece.hasPrefix("//"), "\(attribute)\(piece.prefix(30))")
            }
        }
        #expect(!out.contains("@import"))
    }

    @Test("Markdown: pipes, backticks, angle brackets and emphasis from the capture are escaped")
    func markdown() {
        let out = Self.render(.markdown)
        // Inside fenced code blocks the text is shown literally; everywhere else markup must be escaped.
        #expect(!Self.outsideFences(out).contains("<script>"))
        #expect(out.contains("\\<script\\>"))
        #expect(!out.contains("\n# heading"), "a newline in a name cannot start a heading")
        // Every table row keeps its column count: escaped pipes do not split cells.
        var tableColumns: Int?
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { tableColumns = nil; continue }
            let cells = Self.unescapedPipes(String(line))
            if let expected = tableColumns { #expect(cells == expected, "row splits: \(line)") } else { tableColumns = cells }
        }
        // Code fences are longer than any backtick run inside them.
        #expect(out.contains("rm -rf"))
    }

    @Test("Markdown code spans and fences survive backticks in data")
    func markdownCode() {
        #expect(Escape.markdownCode("a`b") == "``a`b``")
        #expect(Escape.markdownCode("`x`") == "`` `x` ``")
        #expect(Escape.markdownCode("a|b") == "`a\\|b`")
        #expect(Escape.markdown("a|b`c<d>*e*_f_[g]") == "a\\|b\\`c\\<d\\>\\*e\\*\\_f\\_\\[g\\]")
    }

    @Test("text: escape sequences shown, not sent")
    func text() {
        let out = Self.render(.text)
        #expect(out.contains("\\x1b]0;pwned\\x07") || out.contains("\\x1b[31mred"))
        #expect(Escape.terminal("a\u{1B}[31mb\u{9B}c\u{202E}d") == "a\\x1b[31mb\\u{9B}c\\u{202E}d")
    }

    @Test("JSON: hostile strings round-trip exactly through JSONSerialization")
    func json() throws {
        let out = Self.render(.json)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let dns = try #require(root["dns"] as? [[String: Any]])
        #expect(dns.first?["name"] as? String == DNSName(Self.hostileName).text)
        let flows = try #require(root["flows"] as? [[String: Any]])
        #expect(flows.first?["sni"] as? String == Self.hostileSNI)
        #expect(flows.first?["connectHost"] as? String == Self.hostileConnect)
        let captures = try #require(root["captures"] as? [[String: Any]])
        #expect(captures.first?["path"] as? String == Self.captures[0].path)
        #expect(!out.contains("\u{1B}"), "control characters are \\u escapes in JSON")
    }

    /// The Markdown text with fenced code blocks removed.
    static func outsideFences(_ markdown: String) -> String {
        var out: [Substring] = []
        var fence: Substring?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if let f = fence {
                if line == f { fence = nil }
                continue
            }
            if line.hasPrefix("```") { fence = line.prefix { $0 == "`" }; continue }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    /// Number of cells in a Markdown table row (pipes not preceded by a backslash).
    static func unescapedPipes(_ line: String) -> Int {
        var count = 0
        var escaped = false
        for ch in line {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "|" { count += 1 }
        }
        return count
    }
}
