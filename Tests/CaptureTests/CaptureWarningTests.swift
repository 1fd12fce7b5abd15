import Foundation
import Testing
@testable import Capture

// MARK: - Damage after the header: reading stops with a warning, earlier packets count

@Suite struct CaptureWarningTests {
    @Test func fileCutMidPacket() throws {
        let info = try CaptureFile(path: Fixture.path("cut-mid-packet.pcap")).readAll()
        #expect(info.packets == 14)  // capinfos: "An error occurred after reading 14 packets"
        guard case .truncatedRecord(let after, _)? = info.warnings.first else {
            Issue.record("expected truncatedRecord, got \(info.warnings)"); return
        }
        #expect(after == 14)
        #expect(info.warnings.count == 1)
    }

    @Test func corruptRecordHeader() throws {
        // The third record's caplen is 0x7fffffff.
        let info = try CaptureFile(path: Fixture.path("corrupt-record.pcap")).readAll()
        #expect(info.packets == 2)
        guard case .corruptRecord(let after, _)? = info.warnings.first else {
            Issue.record("expected corruptRecord, got \(info.warnings)"); return
        }
        #expect(after == 2)
    }

    @Test func gzipStreamCutInTheMiddle() throws {
        let info = try CaptureFile(path: Fixture.path("cut-stream.pcap.gz")).readAll()
        #expect(info.packets == 4)  // capinfos: "An error occurred after reading 4 packets"
        guard case .gzipStream(let after, _)? = info.warnings.first else {
            Issue.record("expected gzipStream, got \(info.warnings)"); return
        }
        #expect(after == 4)
    }

    @Test func twoSectionsAreReadThrough() throws {
        // libpcap 1.10.3 reads a second section header block of the same link type.
        let info = try CaptureFile(path: Fixture.path("two-sections.pcapng")).readAll()
        #expect(info.packets == 30)
        #expect(info.warnings.isEmpty)
    }

    @Test func interfacesOfDifferentLinkTypesStopWithAWarning() throws {
        // mergecap of an EN10MB and a LINUX_SLL2 capture: two IDBs in one section. libpcap 1.10.3
        // refuses the first packet on the second interface type ("an interface has a type 276
        // different from the type of the first interface"); here both IDBs precede all packets.
        let file = try CaptureFile(path: Fixture.path("mixed-linktypes.pcapng"))
        let info = file.readAll()
        #expect(info.linkTypes.map(\.name) == ["EN10MB"])
        guard case .mixedLinkTypes(let after, _)? = info.warnings.first else {
            Issue.record("expected mixedLinkTypes, got \(info.warnings)"); return
        }
        #expect(after == info.packets)
        #expect(info.warningMessages.first?.contains("mixed-linktypes.pcapng") == true)
    }
}

// MARK: - Every prefix of a valid file gives a specific result, never a trap

@Suite struct CapturePrefixTests {
    /// Record boundaries of a pcap file: offsets where a prefix holds only complete packets.
    private func pcapRecordEnds(_ data: [UInt8]) -> [Int] {
        var ends: [Int] = [24]
        var offset = 24
        while offset + 16 <= data.count {
            let caplen = Int(data[offset + 8]) | Int(data[offset + 9]) << 8 | Int(data[offset + 10]) << 16
                | Int(data[offset + 11]) << 24  // little-endian file (written on x86)
            offset += 16 + caplen
            if offset <= data.count { ends.append(offset) }
        }
        return ends
    }

    @Test func everyPrefixOfAPcapFile() throws {
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path("loopback-us.pcap"))))
        let ends = pcapRecordEnds(data)
        #expect(ends.count == 16)
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("prefix.pcap").path
        for length in 0...data.count {
            try Data(data[0..<length]).write(to: URL(fileURLWithPath: path))
            do {
                let info = try CaptureFile(path: path).readAll()
                #expect(length >= 24, "opened a \(length)-byte prefix")
                let complete = Int64(ends.filter { $0 <= length }.count - 1)
                #expect(info.packets == complete, "prefix \(length)")
                #expect(info.warnings.isEmpty == ends.contains(length), "prefix \(length): \(info.warnings)")
            } catch {
                switch error {
                case .emptyFile: #expect(length == 0)
                case .corruptHeader(_, .shortHeader, _): #expect(length > 0 && length < 24, "prefix \(length)")
                default: Issue.record("prefix \(length): unexpected \(error)")
                }
            }
        }
    }

    /// Block boundaries of a little-endian pcapng file, with the block type that ends there.
    private func pcapngBlocks(_ data: [UInt8]) -> [(end: Int, type: UInt32)] {
        var blocks: [(end: Int, type: UInt32)] = []
        var offset = 0
        func word(_ at: Int) -> Int {
            Int(data[at]) | Int(data[at + 1]) << 8 | Int(data[at + 2]) << 16 | Int(data[at + 3]) << 24
        }
        while offset + 8 <= data.count {
            let type = UInt32(word(offset)), length = word(offset + 4)
            guard length >= 12 else { break }
            offset += length
            if offset <= data.count { blocks.append((offset, type)) }
        }
        return blocks
    }

    @Test func everyPrefixOfAPcapngFile() throws {
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: Fixture.path("loopback.pcapng"))))
        let blocks = pcapngBlocks(data)
        let enhancedPacketBlock: UInt32 = 6, interfaceDescriptionBlock: UInt32 = 1
        #expect(blocks.filter { $0.type == enhancedPacketBlock }.count == 15)
        guard let headerEnd = blocks.first(where: { $0.type == interfaceDescriptionBlock })?.end else {
            Issue.record("no IDB"); return
        }
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("prefix.pcapng").path
        for length in 0...data.count {
            try Data(data[0..<length]).write(to: URL(fileURLWithPath: path))
            let complete = Int64(blocks.filter { $0.end <= length && $0.type == enhancedPacketBlock }.count)
            do {
                let info = try CaptureFile(path: path).readAll()
                #expect(length >= headerEnd, "opened a \(length)-byte prefix")
                #expect(info.packets == complete, "prefix \(length)")
                let atBoundary = blocks.contains { $0.end == length }
                #expect(info.warnings.isEmpty == atBoundary, "prefix \(length): \(info.warnings)")
            } catch {
                switch error {
                case .emptyFile: #expect(length == 0)
                case .corruptHeader: #expect(length > 0 && length < headerEnd, "prefix \(length)")
                default: Issue.record("prefix \(length): unexpected \(error)")
                }
            }
        }
    }

    @Test func everyPrefixOfAGzipStream() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixture.path("loopback.pcapng.gz")))
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("prefix.pcapng.gz").path
        var most: Int64 = 0
        for length in 0...data.count {
            try data.prefix(length).write(to: URL(fileURLWithPath: path))
            do {
                let info = try CaptureFile(path: path).readAll()
                #expect(info.packets >= most, "prefix \(length): packets never decrease")
                most = info.packets
                if length < data.count {
                    // A cut gzip stream always ends with a warning (zlib: unexpected end of file).
                    #expect(!info.warnings.isEmpty, "prefix \(length)")
                } else {
                    #expect(info.warnings.isEmpty)
                }
            } catch {
                switch error {
                case .emptyFile: #expect(length == 0)
                case .gzipError, .corruptHeader: #expect(length > 0)
                default: Issue.record("prefix \(length): unexpected \(error)")
                }
            }
        }
        #expect(most == 15)
    }
}
