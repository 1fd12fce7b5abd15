import Foundation
import Testing
@testable import Capture

// MARK: - Writing pcap files

@Suite struct CaptureWriterTests {
    @Test func rewritingAFileKeepsEveryPacketAndNanosecond() throws {
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("out.pcap").path
        let source = try CaptureFile(path: Fixture.path("loopback-ns.pcap.gz"))
        let writer = try CaptureWriter(path: output, linkType: .ethernet)
        while let record = source.next() { try writer.write(record) }
        try writer.close()
        #expect(writer.packetsWritten == 15)

        let original = try CaptureFile(path: Fixture.path("loopback-ns.pcap"))
        let copy = try CaptureFile(path: output)
        while let a = original.next() {
            guard let b = copy.next() else { Issue.record("copy is short"); break }
            #expect(a.timestamp == b.timestamp)
            #expect(a.originalLength == b.originalLength)
            #expect(Array(a.bytes) == Array(b.bytes))
        }
        #expect(copy.next() == nil)
        #expect(copy.info.format.name == "pcap-ns")
        if let facts = CapinfosFacts.of(output) {
            #expect(facts.packets == 15)
            #expect(facts.first == copy.info.firstPacket)
        }
    }

    @Test func writingAnotherLinkTypeIsRefused() throws {
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("out.pcap").path
        let writer = try CaptureWriter(path: output, linkType: .ethernet)
        let sll2 = try CaptureFile(path: Fixture.path("any-sll2.pcap"))
        guard let record = sll2.next() else { Issue.record("no packet"); return }
        do {
            try writer.write(record)
            Issue.record("wrote an SLL2 packet to an Ethernet file")
        } catch {
            guard case .writeFailed(_, .linkTypeMismatch, _) = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func unwritablePathThrows() {
        #expect(throws: CaptureError.self) {
            _ = try CaptureWriter(path: "/nonexistent-dir/out.pcap", linkType: .ethernet)
        }
    }
}
