import Foundation
import Testing

/// `--threads`: capture files are read ahead on other cores, and the report is the same, byte for
/// byte, with any number of threads.
@Suite struct ThreadsTests {
    private var captures: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: SSMPathRunner.capturesDirectory.path)) ?? []
        return names.filter { $0.contains(".pcap") }.sorted().map { SSMPathRunner.capturesDirectory.appendingPathComponent($0) }
    }

    private func expectSame(_ arguments: [String], threads: [Int]) throws {
        let one = try SSMPathRunner.run(arguments + ["--threads", "1"])
        #expect(!one.stdout.isEmpty, "\(arguments): \(one.stderr)")
        for count in threads {
            let many = try SSMPathRunner.run(arguments + ["--threads", String(count)])
            #expect(many.status == one.status, "\(arguments) --threads \(count)")
            #expect(many.stdout == one.stdout, "\(arguments) --threads \(count): the report differs")
            #expect(many.stderr == one.stderr, "\(arguments) --threads \(count)")
        }
    }

    @Test func everyBundledCaptureGivesTheSameReport() throws {
        #expect(captures.count >= 19)
        for capture in captures {
            try expectSame(["analyze", "--format", "json", "--all", capture.path], threads: [2, 8])
        }
    }

    /// All of Captures/ as one set of 19 files (pcap, pcapng, gzip): more files than threads, so
    /// readers end and pass on to the next file.
    @Test func aDirectoryOfCapturesGivesTheSameReport() throws {
        try expectSame(["analyze", "--format", "json", "--all", SSMPathRunner.capturesDirectory.path], threads: [2, 3, 9])
        try expectSame(["analyze", "--format", "markdown", "--lang", "ja", SSMPathRunner.capturesDirectory.path], threads: [4])
    }

    /// One capture cut into rotated pieces (editcap -c 5) reads as the whole capture did: the same
    /// verdict, findings, flows and DNS, with one thread or several.
    @Test func rotatedPiecesReadAsTheWhole() throws {
        let whole = SSMPathRunner.capturesDirectory.appendingPathComponent("02-domain-joined-timeout.pcapng")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ssmpath-rotated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let split = try SSMPathRunner.run(shell: "editcap -c 5 \"$0\" \"$1\"", arguments: [whole.path, directory.appendingPathComponent("part.pcapng").path])
        #expect(split.status == 0, "editcap: \(split.stderr)")
        let pieces = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(pieces.count > 3)
        try expectSame(["analyze", "--format", "json", "--all", directory.path], threads: [2, 4])

        let wholeReport = try SSMPathRunner.run(["analyze", "--format", "json", "--all", whole.path])
        let piecesReport = try SSMPathRunner.run(["analyze", "--format", "json", "--all", "--threads", "4", directory.path])
        for key in ["verdict", "findings", "flows", "dns"] {
            let a = try JSONSerialization.data(withJSONObject: wholeReport.json?[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
            let b = try JSONSerialization.data(withJSONObject: piecesReport.json?[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
            if key == "verdict" { #expect(a == b, "verdict") ; continue }
            // Evidence names frames by file and number, which differ between the whole and its pieces.
            #expect((wholeReport.json?[key] as? [Any])?.count == (piecesReport.json?[key] as? [Any])?.count, "\(key)")
        }
    }

    @Test func threadsOutOfRangeIsAUsageError() throws {
        let capture = SSMPathRunner.capturesDirectory.appendingPathComponent("01-healthy-endpoint.pcap")
        for bad in ["0", "257", "many"] {
            let output = try SSMPathRunner.run(["analyze", "--threads", bad, capture.path])
            #expect(output.status == 2, "--threads \(bad)")
            #expect(output.stderr.contains("--threads") || output.stderr.contains("threads"), "\(output.stderr)")
        }
    }
}
