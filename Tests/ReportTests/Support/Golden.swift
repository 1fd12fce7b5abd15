import Foundation
import Testing

// MARK: - Golden files
//
// `RECORD_SNAPSHOTS=1 swift test --filter ReportTests` writes Tests/ReportTests/Golden/<name>;
// otherwise the output is compared with the copy bundled as a resource.

enum Golden {
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil }

    static func check(_ actual: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sourceFile = sourceDirectory.appendingPathComponent(name)
        if recording {
            try actual.write(to: sourceFile, atomically: true, encoding: .utf8)
            return
        }
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Golden"),
              let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("No golden file \(name); record it with RECORD_SNAPSHOTS=1 swift test --filter ReportTests",
                         sourceLocation: sourceLocation)
            return
        }
        if expected == actual { return }
        let actualFile = FileManager.default.temporaryDirectory.appendingPathComponent("ssmpath-golden-\(name)")
        try? actual.write(to: actualFile, atomically: true, encoding: .utf8)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        let expectedLine = line < e.count ? String(e[line]) : "<end of file>"
        let actualLine = line < a.count ? String(a[line]) : "<end of file>"
        Issue.record("""
            \(name) differs from the golden file at line \(line + 1):
              expected: \(expectedLine)
              actual:   \(actualLine)
            See: diff -u \(sourceFile.path) \(actualFile.path)
            If the change is intended: RECORD_SNAPSHOTS=1 swift test --filter ReportTests
            """, sourceLocation: sourceLocation)
    }
}
