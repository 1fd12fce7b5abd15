import Foundation
import Testing

/// Unreadable input never crashes: one line on stderr naming the file, exit code 2.
@Suite struct BadInputTests {
    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ssmpath-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    private func expectOneLineNaming(_ path: String, _ output: SSMPathRunner.Output) {
        #expect(output.status == 2)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(output.stderr)")
        #expect(output.stderr.contains((path as NSString).lastPathComponent))
        #expect(output.stdout.isEmpty)
    }

    @Test func missingFile() throws {
        let path = try scratch().appendingPathComponent("nothing-here.pcap").path
        expectOneLineNaming(path, try SSMPathRunner.run(["analyze", "--format", "json", path]))
    }

    @Test func zeroLengthFile() throws {
        let path = try scratch().appendingPathComponent("empty.pcap").path
        FileManager.default.createFile(atPath: path, contents: Data())
        expectOneLineNaming(path, try SSMPathRunner.run(["analyze", "--format", "json", path]))
    }

    @Test func textFile() throws {
        let path = try scratch().appendingPathComponent("notes.pcap").path
        FileManager.default.createFile(atPath: path, contents: Data("<html>not a capture</html>\n".utf8))
        expectOneLineNaming(path, try SSMPathRunner.run(["analyze", "--format", "json", path]))
    }

    @Test func corruptedHeader() throws {
        let path = try scratch().appendingPathComponent("corrupt.pcap").path
        // A pcap magic followed by a header that claims version 9.9 and a negative snaplen.
        var bytes: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 0x09, 0x00, 0x09, 0x00]
        bytes += [UInt8](repeating: 0xff, count: 16)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        expectOneLineNaming(path, try SSMPathRunner.run(["analyze", "--format", "json", path]))
    }

    @Test func directoryWithoutCaptures() throws {
        let dir = try scratch()
        FileManager.default.createFile(atPath: dir.appendingPathComponent("readme.txt").path, contents: Data("x".utf8))
        expectOneLineNaming(dir.path, try SSMPathRunner.run(["analyze", "--format", "json", dir.path]))
    }

    @Test func unknownOptionIsUsageError() throws {
        let output = try SSMPathRunner.run(["analyze", "--no-such-option", "x.pcap"])
        #expect(output.status == 2)
    }

    @Test func badVPCCIDRIsUsageError() throws {
        let output = try SSMPathRunner.run(["analyze", "--vpc-cidr", "10.0.0.0/99", "x.pcap"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("10.0.0.0/99"))
    }
}
