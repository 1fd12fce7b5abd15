import Foundation
import Testing

/// A directory of rotated captures: every file stays open while they are merged in time order, so
/// ssmpath raises its open-file limit, and says clearly when the files are more than it may open.
@Suite struct ManyFilesTests {
    private func directoryOf(_ count: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ssmpath-many-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let source = SSMPathRunner.capturesDirectory.appendingPathComponent("14-no-ssm.pcap")
        for index in 0..<count {
            try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent("part\(index).pcap"))
        }
        return dir
    }

    /// Runs ssmpath under `ulimit -S soft -H hard` through the shell.
    private func run(soft: Int, hard: Int, _ directory: URL) throws -> SSMPathRunner.Output {
        let command = "ulimit -Sn \(soft) && ulimit -Hn \(hard) && exec \"$0\" analyze --format json \"$1\""
        return try SSMPathRunner.run(shell: command, arguments: [SSMPathRunner.binary.path, directory.path])
    }

    @Test func softLimitIsRaisedToTheHardLimit() throws {
        let dir = try directoryOf(80)
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = try run(soft: 64, hard: 4096, dir)
        #expect(output.status == 1, "no SSM traffic is an error verdict: \(output.stderr)")
        #expect((output.json?["captures"] as? [Any])?.count == 80)
    }

    @Test func moreFilesThanTheHardLimitIsOneClearLine() throws {
        let dir = try directoryOf(80)
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = try run(soft: 64, hard: 64, dir)
        #expect(output.status == 2)
        #expect(output.stderr.split(separator: "\n").count == 1)
        #expect(output.stdout.isEmpty)
    }
}
