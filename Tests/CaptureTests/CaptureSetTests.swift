import Foundation
import Testing
@testable import Capture

// MARK: - Several files merged in time order

@Suite struct CaptureSetTests {
    @Test func interleavedFilesMergeInTimeOrder() throws {
        // Recorded at the same time on two ports, datagrams alternating A1 B1 A2 B2 ...
        let set = try CaptureSet.open(paths: [Fixture.path("interleave-a.pcap"), Fixture.path("interleave-b.pcap")])
        var order: [PacketRef] = []
        var previous: Timestamp?
        while let record = set.next() {
            if let previous { #expect(previous <= record.timestamp) }
            previous = record.timestamp
            order.append(record.ref)
        }
        let expected = (1...4).flatMap { n in [PacketRef(fileIndex: 0, number: Int64(n)), PacketRef(fileIndex: 1, number: Int64(n))] }
        #expect(order == expected)
        #expect(set.infos.map(\.packets) == [4, 4])
        #expect(set.infos.map(\.format.name) == ["pcap", "pcap-ns"])
    }

    @Test func mergedBytesAreThoseOfEachFile() throws {
        // The merge borrows libpcap's buffers: each yielded packet must still hold its own bytes.
        let set = try CaptureSet.open(paths: [Fixture.path("interleave-a.pcap"), Fixture.path("interleave-b.pcap")])
        var payloads: [String] = []
        while let record = set.next() {
            // Ethernet 14 + IPv4 20 + UDP 8: the datagram text ("A1", "B1", ...).
            let payload = record.bytes.count > 42 ? Array(record.bytes[42...]) : []
            payloads.append(String(decoding: payload, as: UTF8.self))
        }
        #expect(payloads == ["A1", "B1", "A2", "B2", "A3", "B3", "A4", "B4"])
    }

    @Test func aFileWithItselfKeepsEachFilesOrderOnTies() throws {
        let path = Fixture.path("loopback-us.pcap")
        let set = try CaptureSet.open(paths: [path, path])
        var refs: [PacketRef] = []
        while let record = set.next() { refs.append(record.ref) }
        let expected = (1...15).flatMap { n in [PacketRef(fileIndex: 0, number: Int64(n)), PacketRef(fileIndex: 1, number: Int64(n))] }
        #expect(refs == expected)
    }

    @Test func singleAndEmptySets() throws {
        let single = try CaptureSet.open(paths: [Fixture.path("loopback.pcapng.gz")])
        var count = 0
        while case .packet = single.nextEvent() { count += 1 }
        #expect(count == 15)
        let empty = try CaptureSet.open(paths: [])
        #expect(empty.next() == nil)
    }

    @Test func openFailsOnTheFirstUnreadableFile() {
        let bad = Fixture.path("page.html")
        #expect(throws: CaptureError.notACapture(path: bad, leadingBytes: 0x3c68_746d, compressed: false)) {
            _ = try CaptureSet.open(paths: [Fixture.path("loopback-us.pcap"), bad, Fixture.path("no-such.pcap")])
        }
    }

    @Test func damagedFileEndsEarlyWithoutStoppingTheOthers() throws {
        let set = try CaptureSet.open(paths: [Fixture.path("cut-mid-packet.pcap"), Fixture.path("second-copy-missing.pcap")]
            .filter { FileManager.default.fileExists(atPath: $0) } + [Fixture.path("loopback-ns.pcap")])
        var count = 0
        while set.next() != nil { count += 1 }
        #expect(count == 14 + 15)
        #expect(set.infos[0].warnings.count == 1)
        #expect(set.infos[1].warnings.isEmpty)
    }
}
