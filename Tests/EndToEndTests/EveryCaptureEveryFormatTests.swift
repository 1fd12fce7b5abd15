import Foundation
import Testing

/// Every bundled capture renders in every format and both languages: the verdict first, capture
/// data escaped, the HTML self-contained, the JSON parseable, the exit code following the verdict.
@Suite struct EveryCaptureEveryFormatTests {
    static let captures: [String] = ((try? FileManager.default.contentsOfDirectory(
        atPath: SSMPathRunner.capturesDirectory.path)) ?? []).filter { $0.contains(".pcap") }.sorted()

    @Test(arguments: captures)
    func rendersInEveryFormatAndLanguage(_ capture: String) throws {
        let path = SSMPathRunner.capturesDirectory.appendingPathComponent(capture).path
        let json = try SSMPathRunner.run(["analyze", "--format", "json", path])
        let verdict = try #require(json.json?["verdict"] as? [String: Any], "\(capture): \(json.stderr)")
        let code = try #require(verdict["code"] as? String)
        let expectedStatus: Int32 = verdict["severity"] as? String == "error" ? 1 : 0
        #expect(json.status == expectedStatus)

        for language in ["en", "ja"] {
            let localized = try SSMPathRunner.run(["analyze", "--format", "json", "--lang", language, path])
            let summary = (localized.json?["verdict"] as? [String: Any])?["summary"] as? String ?? ""
            #expect(!summary.isEmpty, "\(capture) \(language): no verdict sentence")
            if language == "ja" { #expect(summary.unicodeScalars.contains { $0.value >= 0x3040 }, "\(capture): summary not Japanese") }

            for format in ["text", "markdown", "html"] {
                let output = try SSMPathRunner.run(["analyze", "--format", format, "--lang", language, "--no-color", path])
                let text = output.stdoutText
                #expect(output.status == expectedStatus, "\(capture) \(format) \(language)")
                // The verdict sentence comes first: within the first 40 lines of every format.
                let head = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).joined(separator: "\n")
                let firstWords = String(summary.prefix(12))
                #expect(head.contains(firstWords) || head.contains(code), "\(capture) \(format) \(language): verdict not at the top")
                #expect(!text.contains("\u{1B}["), "\(capture) \(format): colour without a terminal")
                if format == "html" {
                    #expect(text.hasPrefix("<!DOCTYPE html>") || text.hasPrefix("<!doctype html>"))
                    #expect(!text.lowercased().contains("<script"))
                    #expect(!text.contains("src=\"http") && !text.contains("href=\"http"), "\(capture): fetches something")
                    #expect(text.contains("<svg") || code == "no-ssm-traffic" || code == "dns-unreachable" || code == "dns-error",
                            "\(capture): no timeline")
                }
            }
        }
    }
}
