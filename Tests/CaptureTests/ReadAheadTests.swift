import Foundation
import Testing
@testable import Capture

// MARK: - Files read ahead on threads of their own

/// Everything a consumer can see of a capture set: every packet's fields and bytes, and each
/// file's facts once the set has ended.
private struct SetTranscript: Equatable {
    struct Packet: Equatable {
        var timestamp: Timestamp
        var ref: PacketRef
        var linkType: LinkType
        var bytes: [UInt8]
        var originalLength: Int
    }
    struct FileFacts: Equatable {
        var packets, bytes, capturedBytes, truncated, outOfOrder: Int64
        var first, last: Timestamp?
        var warnings: [CaptureWarning]
    }
    var packets: [Packet] = []
    var files: [FileFacts] = []

    /// Reads `paths` as one set with `threads` read-ahead threads, to the end; `smallBlocks` makes
    /// the rings' blocks the smallest allowed (64 KiB and a header), so they fill and recycle often.
    static func of(_ paths: [String], threads: Int, smallBlocks: Bool = false) throws -> SetTranscript {
        var files: [CaptureFile] = []
        for (index, path) in paths.enumerated() { files.append(try CaptureFile(path: path, fileIndex: Int32(index))) }
        let set = smallBlocks
            ? CaptureSet(files: files, readAheadThreads: threads, blockCount: 2, blockSize: 0)
            : CaptureSet(files: files, readAheadThreads: threads)
        var transcript = SetTranscript()
        while let record = set.next() {
            transcript.packets.append(Packet(timestamp: record.timestamp, ref: record.ref, linkType: record.linkType,
                                             bytes: Array(record.bytes), originalLength: record.originalLength))
        }
        #expect(set.next() == nil, "a set that ended stays ended")
        transcript.files = set.infos.map {
            FileFacts(packets: $0.packets, bytes: $0.bytes, capturedBytes: $0.capturedBytes, truncated: $0.truncatedPackets,
                      outOfOrder: $0.outOfOrderPackets, first: $0.firstPacket, last: $0.lastPacket, warnings: $0.warnings)
        }
        return transcript
    }
}

@Suite struct ReadAheadTests {
    /// Every fixture alone, and mixed sets, give the same packets, order and facts with any number
    /// of read-ahead threads as read directly: gzip, pcapng sections and interfaces, a file cut
    /// mid-packet or with a corrupt record (the warning and where it fell included), SLL2.
    @Test(arguments: [
        ["loopback-us.pcap"], ["loopback.pcapng.gz"], ["loopback-ns.pcap.gz"], ["two-sections.pcapng"],
        ["two-interfaces.pcapng"], ["any-sll2.pcap"], ["cut-mid-packet.pcap"], ["corrupt-record.pcap"],
        ["cut-stream.pcap.gz"], ["mixed-linktypes.pcapng"],
        ["interleave-a.pcap", "interleave-b.pcap"],
        ["loopback-us.pcap", "loopback-us.pcap", "loopback-ns.pcap.gz", "any-sll2.pcap", "interleave-a.pcap",
         "cut-mid-packet.pcap", "corrupt-record.pcap", "loopback.pcapng"],
    ])
    func readAheadChangesNothing(names: [String]) throws {
        let paths = names.map(Fixture.path)
        let direct = try SetTranscript.of(paths, threads: 0)
        #expect(!direct.files.isEmpty)
        for threads in [1, 2, 3, 8] {
            let ahead = try SetTranscript.of(paths, threads: threads)
            #expect(ahead.packets.count == direct.packets.count, "\(names) with \(threads) threads")
            #expect(ahead == direct, "\(names) with \(threads) threads")
        }
        #expect(try SetTranscript.of(paths, threads: 2, smallBlocks: true) == direct, "\(names), small blocks")
    }

    /// More packets than the rings hold at once (small blocks, and the default 4 × 1 MiB), in several files whose
    /// times overlap, so blocks are recycled and readers end and hand their thread to the next file;
    /// a file with a header and no packet among them.
    @Test func manyBlocksAndFilesThroughFewThreads() throws {
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let headerOnly = scratch.appendingPathComponent("header-only.pcap").path
        try CaptureWriter(path: headerOnly, linkType: .ethernet).close()
        var paths: [String] = [headerOnly]
        for file in 0..<5 {
            let path = scratch.appendingPathComponent("part\(file).pcap").path
            let writer = try CaptureWriter(path: path, linkType: .ethernet)
            var frame = [UInt8](repeating: 0, count: 1514)
            for packet in 0..<(6_000 + file * 200) {
                frame[0] = UInt8(truncatingIfNeeded: file)
                frame[1] = UInt8(truncatingIfNeeded: packet)
                frame[1513] = UInt8(truncatingIfNeeded: packet >> 8)
                let size = 60 + (packet * 37 + file) % 1455
                let time = Timestamp(nanoseconds: 1_700_000_000_000_000_000 + Int64(packet) * 1_000_000 + Int64(file) * 400_000_000)
                try frame.withUnsafeBytes { bytes in
                    try writer.write(PacketRecord(timestamp: time, ref: PacketRef(fileIndex: 0, number: 0), linkType: .ethernet,
                                                  bytes: UnsafeRawBufferPointer(rebasing: bytes[0..<size]), originalLength: size))
                }
            }
            try writer.close()
            paths.append(path)
        }
        let direct = try SetTranscript.of(paths, threads: 0)
        #expect(direct.packets.count == 5 * 6_000 + 200 * 10)
        #expect(direct.files.first?.packets == 0)
        for threads in [1, 2, 4] {
            #expect(try SetTranscript.of(paths, threads: threads) == direct, "\(threads) threads")
            #expect(try SetTranscript.of(paths, threads: threads, smallBlocks: true) == direct, "\(threads) threads, small blocks")
        }
    }

    /// A packet larger than a whole block (small blocks: 64 KiB) grows the block and arrives whole.
    @Test func aPacketLargerThanABlockArrivesWhole() throws {
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("jumbo.pcap").path
        let writer = try CaptureWriter(path: path, linkType: .ethernet)
        let sizes = [1514, 262_000, 60, 262_144, 1514]
        for (index, size) in sizes.enumerated() {
            let frame = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
            try frame.withUnsafeBytes { bytes in
                try writer.write(PacketRecord(timestamp: Timestamp(nanoseconds: Int64(index) * 1_000), ref: PacketRef(fileIndex: 0, number: 0),
                                              linkType: .ethernet, bytes: bytes, originalLength: size))
            }
        }
        try writer.close()
        let direct = try SetTranscript.of([path], threads: 0)
        #expect(direct.packets.map(\.bytes.count) == sizes)
        #expect(try SetTranscript.of([path], threads: 1) == direct)
        #expect(try SetTranscript.of([path], threads: 1, smallBlocks: true) == direct)
        #expect(try SetTranscript.of([path, path], threads: 2, smallBlocks: true) == SetTranscript.of([path, path], threads: 0))
    }

    /// A consumer that stops early (an error in the caller) drops the set: the readers' threads,
    /// blocked on a full ring, stop and are joined; nothing hangs.
    @Test func droppingASetMidwayStopsItsReaders() throws {
        let paths = [Fixture.path("loopback-us.pcap"), Fixture.path("loopback.pcapng.gz"), Fixture.path("any-sll2.pcap")]
        for taken in [0, 1, 5, 20] {
            let set = try CaptureSet.open(paths: paths, readAheadThreads: 2)
            for _ in 0..<taken { _ = set.next() }
        }
        let single = try CaptureSet.open(paths: [Fixture.path("loopback-us.pcap")], readAheadThreads: 1)
        #expect(single.next() != nil)
    }
}
