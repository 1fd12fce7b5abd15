import Foundation
import Testing

/// Runs the built `ssmpath` binary the way a person would, and captures what it says.
struct SSMPathRunner {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// stdout parsed as a JSON object, or nil.
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any] }
    }

    /// The repository root (this file is Tests/EndToEndTests/SSMPathRunner.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `ssmpath` executable built next to the test bundle.
    static var binary: URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].compactMap { $0 }
        for directory in candidates {
            let url = directory.appendingPathComponent("ssmpath")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/ssmpath")
    }

    static var capturesDirectory: URL { repositoryRoot.appendingPathComponent("Captures") }

    /// Runs ssmpath with `arguments`, with a time limit.
    static func run(_ arguments: [String], timeoutSeconds: Double = 120) throws -> Output {
        try run(executable: binary, arguments: arguments, timeoutSeconds: timeoutSeconds)
    }

    /// Runs `/bin/sh -c command` with `arguments` as $0, $1, ... (for ulimit and the like).
    static func run(shell command: String, arguments: [String], timeoutSeconds: Double = 120) throws -> Output {
        try run(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", command] + arguments, timeoutSeconds: timeoutSeconds)
    }

    private static func run(executable: URL, arguments: [String], timeoutSeconds: Double) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a large report cannot block the child.
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
        }
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }
}
