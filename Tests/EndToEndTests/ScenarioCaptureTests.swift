import Foundation
import Testing

/// Every lab scenario capture in Captures/ gets the verdict and the per-flow labels recorded beside
/// it in Captures/expected.json.
@Suite struct ScenarioCaptureTests {
    struct Expectation: CustomStringConvertible, Sendable {
        var file: String
        var verdict: String
        /// hostname → one label per connection, in order of first packet.
        var flows: [String: [String]]
        var description: String { file }
    }

    static let expectations: [Expectation] = {
        let url = SSMPathRunner.capturesDirectory.appendingPathComponent("expected.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let captures = root["captures"] as? [[String: Any]] else { return [] }
        return captures.compactMap { entry in
            guard let file = entry["file"] as? String, let verdict = entry["verdict"] as? String else { return nil }
            return Expectation(file: file, verdict: verdict, flows: entry["flows"] as? [String: [String]] ?? [:])
        }
    }()

    @Test func expectationsArePresent() {
        #expect(Self.expectations.count >= 14, "Captures/expected.json should list every lab scenario")
    }

    @Test(arguments: expectations)
    func verdictAndLabels(_ expectation: Expectation) throws {
        let path = SSMPathRunner.capturesDirectory.appendingPathComponent(expectation.file).path
        let output = try SSMPathRunner.run(["analyze", "--format", "json", path])
        let json = try #require(output.json, "no JSON for \(expectation.file): \(output.stderr)")
        let verdict = try #require(json["verdict"] as? [String: Any])
        #expect(verdict["code"] as? String == expectation.verdict, "\(expectation.file)")
        // Exit code follows the verdict's severity.
        let severity = verdict["severity"] as? String
        #expect(output.status == (severity == "error" ? 1 : 0), "\(expectation.file): exit \(output.status)")

        let flows = try #require(json["flows"] as? [[String: Any]])
        var actual: [String: [String]] = [:]
        for flow in flows where flow["ssm"] as? Bool == true {
            guard let host = flow["hostname"] as? String, let label = flow["label"] as? String else { continue }
            actual[host, default: []].append(label)
        }
        let expectedConnected = expectation.flows.filter { !$0.value.isEmpty }
        #expect(actual == expectedConnected, "\(expectation.file)")
    }

    /// The same capture as several formats gives the same analysis (gzip and pcapng included).
    @Test func everyBundledCaptureIsReadable() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: SSMPathRunner.capturesDirectory.path)
            .filter { $0.contains(".pcap") }
        #expect(!names.isEmpty)
        for name in names {
            let path = SSMPathRunner.capturesDirectory.appendingPathComponent(name).path
            let output = try SSMPathRunner.run(["analyze", "--format", "json", path])
            #expect(output.status == 0 || output.status == 1, "\(name): \(output.stderr)")
            let captures = output.json?["captures"] as? [[String: Any]]
            #expect((captures?.first?["packets"] as? Int ?? 0) > 0, "\(name)")
        }
    }
}
