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

/// Fields of `capinfos -T -r -M -c -d -a -e -S` (table, no header, exact numbers; packets, data
/// size, first and last packet time in epoch seconds) for one file capinfos reads without error.
struct CapinfosFacts {
    var packets: Int64
    var dataSize: Int64
    var first: Timestamp?
    var last: Timestamp?

    /// Nil when capinfos is absent or reports an error for the file.
    static func of(_ path: String) -> CapinfosFacts? {
        guard let (status, output) = runTool("capinfos", ["-T", "-r", "-M", "-c", "-d", "-a", "-e", "-S", path]),
              status == 0 else { return nil }
        let fields = output.split(separator: "\n").first.map { $0.split(separator: "\t").map(String.init) } ?? []
        guard fields.count >= 5, let packets = Int64(fields[1].trimmingCharacters(in: .whitespaces)),
              let size = Int64(fields[2].trimmingCharacters(in: .whitespaces)) else { return nil }
        return CapinfosFacts(packets: packets, dataSize: size,
                             first: parseEpoch(fields[3]), last: parseEpoch(fields[4]))
    }

    static var available: Bool { runTool("capinfos", ["-v"]) != nil }
}

/// "1795944422.720856535" → Timestamp, exactly (no floating point); nil for "n/a".
func parseEpoch(_ text: String) -> Timestamp? {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".")
    guard let seconds = parts.first.flatMap({ Int64($0) }) else { return nil }
    var fraction = parts.count > 1 ? String(parts[1]) : ""
    fraction = String((fraction + "000000000").prefix(9))
    guard let nanoseconds = Int64(fraction) else { return nil }
    return Timestamp(seconds: seconds, nanoseconds: nanoseconds)
}

/// A scratch directory removed by the caller (`defer { try? FileManager.default.removeItem(at:) }`).
func makeScratchDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("capture-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
