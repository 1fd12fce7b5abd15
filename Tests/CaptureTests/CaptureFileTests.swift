import Foundation
import Testing
@testable import Capture

// MARK: - Formats, link types, counts

@Suite struct CaptureFileFormatTests {
    struct Expected: Sendable, CustomStringConvertible {
        var name: String
        var format: String
        var linkName: String
        var linkType: LinkType
        var packets: Int64
        var description: String { name }
    }

    static let sound: [Expected] = [
        Expected(name: "loopback-us.pcap", format: "pcap", linkName: "EN10MB", linkType: .ethernet, packets: 15),
        Expected(name: "loopback-ns.pcap", format: "pcap-ns", linkName: "EN10MB", linkType: .ethernet, packets: 15),
        Expected(name: "loopback.pcapng", format: "pcapng", linkName: "EN10MB", linkType: .ethernet, packets: 15),
        Expected(name: "loopback-us.pcap.gz", format: "pcap+gzip", linkName: "EN10MB", linkType: .ethernet, packets: 15),
        Expected(name: "loopback-ns.pcap.gz", format: "pcap-ns+gzip", linkName: "EN10MB", linkType: .ethernet, packets: 15),
        Expected(name: "loopback.pcapng.gz", format: "pcapng+gzip", linkName: "EN10MB", linkType: .ethernet, packets: 15),
        // dumpcap on lo twice: two IDBs of the same link type, packets on both.
        Expected(name: "two-interfaces.pcapng", format: "pcapng", linkName: "EN10MB", linkType: .ethernet, packets: 8),
        Expected(name: "two-sections.pcapng", format: "pcapng", linkName: "EN10MB", linkType: .ethernet, packets: 30),
        Expected(name: "any-sll2.pcap", format: "pcap", linkName: "LINUX_SLL2", linkType: .linuxSLL2, packets: 14),
        Expected(name: "interleave-a.pcap", format: "pcap", linkName: "EN10MB", linkType: .ethernet, packets: 4),
        Expected(name: "interleave-b.pcap", format: "pcap-ns", linkName: "EN10MB", linkType: .ethernet, packets: 4),
    ]

    @Test("format, link type and packet count", arguments: sound)
    func formatAndCounts(_ expected: Expected) throws {
        let file = try CaptureFile(path: Fixture.path(expected.name))
        var numbers: [Int64] = []
        while let record = file.next() {
            #expect(record.linkType == expected.linkType)
            #expect(record.ref.fileIndex == 0)
            #expect(record.bytes.count <= record.originalLength)
            numbers.append(record.ref.number)
        }
        let info = file.info
        #expect(info.format.name == expected.format)
        #expect(info.linkTypes.map(\.name) == [expected.linkName])
        #expect(info.linkTypes.map(\.linkType) == [expected.linkType])
        #expect(info.packets == expected.packets)
        #expect(numbers == Array(1...expected.packets))
        #expect(info.warnings.isEmpty)
        #expect(info.truncatedPackets == 0)
        #expect(file.next() == nil, "stays at the end")
    }

    @Test("packets, data size and time span equal capinfos", arguments: sound)
    func matchesCapinfos(_ expected: Expected) throws {
        let path = Fixture.path(expected.name)
        guard let facts = CapinfosFacts.of(path) else {
            Issue.record("capinfos missing or failed on \(expected.name)")
            return
        }
        let info = try CaptureFile(path: path).readAll()
        #expect(info.packets == facts.packets)
        #expect(info.bytes == facts.dataSize)
        #expect(info.firstPacket == facts.first)
        #expect(info.lastPacket == facts.last)
    }

    @Test func nanosecondTimestampsKeepTheirNanoseconds() throws {
        let info = try CaptureFile(path: Fixture.path("loopback-ns.pcap")).readAll()
        // tcpdump --time-stamp-precision=nano; capinfos shows 1795946411.911946359.
        #expect(info.firstPacket == Timestamp(seconds: 1_795_946_411, nanoseconds: 911_946_359))
        #expect(info.lastPacket == Timestamp(seconds: 1_795_946_412, nanoseconds: 26_827_581))
    }

    @Test func microsecondTimestampsBecomeNanoseconds() throws {
        let info = try CaptureFile(path: Fixture.path("loopback-us.pcap")).readAll()
        #expect(info.firstPacket == Timestamp(seconds: 1_795_946_410, nanoseconds: 146_832_000))
        #expect(info.lastPacket == Timestamp(seconds: 1_795_946_410, nanoseconds: 275_802_000))
    }

    @Test func gzipIsDetectedByMagicNotByName() throws {
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let renamed = scratch.appendingPathComponent("capture.bin")
        try FileManager.default.copyItem(atPath: Fixture.path("loopback.pcapng.gz"), toPath: renamed.path)
        let info = try CaptureFile(path: renamed.path).readAll()
        #expect(info.format == CaptureFormat(container: .pcapng, compressed: true))
        #expect(info.packets == 15)
    }

    @Test func compressedAndPlainYieldTheSameBytes() throws {
        let plain = try CaptureFile(path: Fixture.path("loopback-ns.pcap"))
        let compressed = try CaptureFile(path: Fixture.path("loopback-ns.pcap.gz"))
        while true {
            let a = plain.next(), b = compressed.next()
            #expect((a == nil) == (b == nil))
            guard let a, let b else { break }
            #expect(a.timestamp == b.timestamp)
            #expect(a.originalLength == b.originalLength)
            #expect(Array(a.bytes) == Array(b.bytes))
        }
    }
}
