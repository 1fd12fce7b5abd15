import Correlate
import Testing
@testable import Report

// MARK: - A day of failing retries stays a readable, bounded report

@Suite("Large analyses")
struct LimitsTests {
    static func large(flows count: Int) -> Analysis {
        let resolver = v4("10.0.0.10")
        var dns: [AnalyzedDNS] = []
        var flows: [AnalyzedFlow] = []
        for i in 0..<count {
            let ms = Double(i) * 30_000
            let frame = Int64(i) * 10 + 1
            dns.append(makeDNS(DNSSpec(name: "ssm.ap-northeast-1.amazonaws.com", resolver: resolver, resolverClass: .other,
                                       clientPort: UInt16(truncatingIfNeeded: 20_000 + i), query: at(ms, frame: frame),
                                       response: at(ms + 15, frame: frame + 1), addresses: [.v4(0xCB00_7100 | UInt32(i % 200))])))
            flows.append(makeFlow(FlowSpec(clientPort: UInt16(truncatingIfNeeded: 40_000 + i), server: .v4(0xCB00_7100 | UInt32(i % 200)),
                                           syns: Scenarios.synTrain(ms + 16, frame: frame + 2), hostname: "ssm.ap-northeast-1.amazonaws.com",
                                           dnsIndex: i, addressClass: .public, path: .internet, label: .timeout)))
        }
        let evidence = (0..<count).map { EvidenceItem(kind: .syn, moment: flows[$0].record.first, flowIndex: $0) }
        let finding = Finding(code: .resolverBypassesEndpoint, severity: .error, hostnames: [DNSName("ssm.ap-northeast-1.amazonaws.com")],
                              resolvers: [resolver], addresses: flows.map(\.record.server), flowIndices: Array(0..<count),
                              dnsIndices: Array(0..<count), evidence: evidence,
                              remedies: [.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway], region: "ap-northeast-1")
        return Analysis(dns: dns, flows: flows, findings: [finding], verdict: Verdict(code: .resolverBypassesEndpoint, severity: .error),
                        resolvers: [], vpc: Scenarios.vpc, counters: FlowCounters(), decodeAnomalies: DecodeAnomalies(),
                        captureStart: scenarioStart, captureEnd: at(Double(count) * 30_000, frame: Int64(count) * 10).time,
                        includesAllTraffic: false)
    }

    @Test("3,000 attempts: tables and the SVG are capped, the sentence names a few addresses")
    func bounded() {
        let a = Self.large(flows: 3_000)
        let md = ReportWriter.render(a, captures: [], options: ReportOptions(format: .markdown, toolVersion: "t"))
        #expect(md.contains("more rows not shown"))
        #expect(md.contains("and 196 more"))
        let html = ReportWriter.render(a, captures: [], options: ReportOptions(format: .html, language: .ja, toolVersion: "t"))
        #expect(html.utf8.count < 2_500_000)
        #expect(html.contains("件の行を省略"))
        let text = ReportWriter.render(a, captures: [], options: ReportOptions(format: .text, toolVersion: "t"))
        #expect(text.split(separator: "\n").count < 300)
        let json = ReportWriter.render(a, captures: [], options: ReportOptions(format: .json, toolVersion: "t"))
        #expect(json.contains("\"synFrames\": [29993, 29996, 30002, 30013]"), "JSON keeps every flow")
    }

    @Test("empty analysis and out-of-range indices never trap", arguments: ReportFormat.allCases)
    func empty(_ format: ReportFormat) {
        var a = Scenario.noSSM.analysis
        a.findings = [Finding(code: .tlsFailure, severity: .error, flowIndices: [7, -1], dnsIndices: [99],
                              evidence: [EvidenceItem(kind: .alert, moment: at(0, frame: 1), flowIndex: 42, dnsIndex: -3)],
                              remedies: RemedyCode.allCases)]
        a.captureStart = nil
        a.captureEnd = nil
        for language in ReportLanguage.allCases {
            let out = ReportWriter.render(a, captures: [], options: ReportOptions(format: format, language: language, toolVersion: "t"))
            #expect(!out.isEmpty)
        }
    }
}
