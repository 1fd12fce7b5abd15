import Foundation
import Testing

/// Runs `scripts/live-test.sh` (which starts `ssmpath live` inside network namespaces against real
/// traffic, stops it, and tears everything down) and reads what it left in its output directory.
enum LiveHarness {
    static let script = SSMPathRunner.repositoryRoot.appendingPathComponent("scripts/live-test.sh")

    /// What one run of ssmpath live left behind.
    struct Run {
        var directory: URL
        /// ssmpath's exit status, or nil when the harness had to kill it.
        var exitStatus: Int32?
        /// Milliseconds from the stop action (signal, link change; for `none`: the start) to the exit.
        var stopMilliseconds: Int
        var stderr: String
        /// The JSON report, if one was written.
        var report: [String: Any]?
        var verdictCode: String? { (report?["verdict"] as? [String: Any])?["code"] as? String }
        var pcap: URL { directory.appendingPathComponent("live.pcap") }
        /// Removes the output directory (report, pcap, logs) once the test has read it.
        func removeDirectory() { try? FileManager.default.removeItem(at: directory) }
        /// The status lines ssmpath printed on stderr (non-TTY: one per second, then a final one).
        var statusLines: [Substring] {
            stderr.split(separator: "\n").filter { $0.contains("packets") && $0.contains("drops") }
        }
    }

    enum Outcome {
        case ran(Run)
        /// The harness declined to run (lab busy, no namespaces): the reason it gave.
        case skipped(String)
    }

    /// Whether this process may create network namespaces (root, not a restricted container):
    /// `live-test.sh probe`. Evaluated once.
    static let namespacesAllowed: Bool = {
        guard let result = try? runScript(["probe"], timeoutSeconds: 10) else { return false }
        return result.status == 0
    }()

    /// Runs `live-test.sh ARGUMENTS` with OUTDIR made here; returns what ssmpath did, or why nothing ran.
    /// Records an issue (and throws) when the harness itself failed.
    static func run(mode: String, _ leading: [String], liveArguments: [String] = [],
                    timeoutSeconds: Double = 60) throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ssmpath-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let arguments = [mode] + leading.map { $0 == "OUTDIR" ? directory.path : $0 } + ["--"] + liveArguments
        let result = try runScript(arguments, timeoutSeconds: timeoutSeconds)
        switch result.status {
        case 0: break
        case 77:
            try? FileManager.default.removeItem(at: directory)
            return .skipped(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        default:
            Issue.record("live-test.sh \(arguments.joined(separator: " ")) failed (\(result.status)), logs kept in \(directory.path): \(result.stderr)")
            throw HarnessFailure()
        }
        func text(_ name: String) -> String {
            (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        let report = (try? Data(contentsOf: directory.appendingPathComponent("report.json")))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let trimmed = { (name: String) in text(name).trimmingCharacters(in: .whitespacesAndNewlines) }
        return .ran(Run(directory: directory, exitStatus: Int32(trimmed("exit-status")),
                        stopMilliseconds: Int(trimmed("stop-ms")) ?? -1, stderr: text("stderr.txt"), report: report))
    }

    struct HarnessFailure: Error {}

    // MARK: - Processes

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the script with SSMPATH set to the built binary, stdout and stderr read concurrently,
    /// terminated after `timeoutSeconds` (its EXIT trap then tears down what it made).
    static func runScript(_ arguments: [String], timeoutSeconds: Double) throws -> ProcessResult {
        try runProcess(script, arguments, environment: ["SSMPATH": SSMPathRunner.binary.path],
                       timeoutSeconds: timeoutSeconds)
    }

    static func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                           timeoutSeconds: Double) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            process.terminate()
            Issue.record("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish in \(timeoutSeconds) s")
            _ = group.wait(timeout: .now() + 10)
        }
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The verdict code Captures/expected.json records for a lab scenario (`02` → `02-...pcapng`).
    static func expectedVerdict(scenario: String) -> String? {
        let url = SSMPathRunner.capturesDirectory.appendingPathComponent("expected.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let captures = root["captures"] as? [[String: Any]] else { return nil }
        let entry = captures.first { ($0["file"] as? String)?.hasPrefix(scenario + "-") == true }
        return entry?["verdict"] as? String
    }
}
