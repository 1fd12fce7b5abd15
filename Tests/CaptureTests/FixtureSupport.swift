import Foundation
import Testing
@testable import Capture

/// Paths of the recorded fixtures (scripts/fixtures/record-capture-fixtures.sh).
enum Fixture {
    static func path(_ name: String) -> String {
        guard let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            Issue.record("Fixtures directory missing from the test bundle")
            return "/nonexistent/\(name)"
        }
        return directory.appendingPathComponent(name).path
    }
}

/// Runs a tool and returns its standard output, or nil when the tool is absent or fails.
func runTool(_ tool: String, _ arguments: [String]) -> (status: Int32, output: String)? {
    let candidates = ["/usr/bin/\(tool)", "/usr/sbin/\(tool)", "/usr/local/bin/\(tool)"]
    guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Fields of `capinfos -M -T -r` (machine-readable table, no header) for one file.
struct CapinfosFacts {
    var packets: Int64
    var dataSize: Int64
    var ok: Bool

    static func of(_ path: String) -> CapinfosFacts? {
        // -T table, -r no header, -c packets, -d data size, -M exact numbers.
        guard let (status, output) = runTool("capinfos", ["-T", "-r", "-M", "-c", "-d", path]) else { return nil }
        let fields = output.split(separator: "\n").first.map { $0.split(separator: "\t").map(String.init) } ?? []
        guard fields.count >= 3, let packets = Int64(fields[1].trimmingCharacters(in: .whitespaces)),
              let size = Int64(fields[2].trimmingCharacters(in: .whitespaces)) else { return nil }
        return CapinfosFacts(packets: packets, dataSize: size, ok: status == 0)
    }
}
