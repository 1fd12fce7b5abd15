import Foundation
import Testing

/// Damaged captures are analyzed as far as they go, and the report says where and why they stop
/// or what they lack. Each case is made from a real lab capture (Captures/01-healthy-endpoint.pcap,
/// 107 frames, libpcap classic format, Ethernet) by the byte edits the damage stands for.
@Suite struct BrokenCaptureTests {
    // MARK: - The capture and its record layout

    /// The healthy capture's bytes and where each record header starts.
    private struct ClassicPcap {
        static let globalHeaderLength = 24
        static let recordHeaderLength = 16
        var bytes: [UInt8]
        var recordOffsets: [Int] = []

        init(_ bytes: [UInt8]) throws {
            self.bytes = bytes
            // Little-endian microsecond magic, as libpcap wrote the lab capture.
            try #require(bytes.starts(with: [0xd4, 0xc3, 0xb2, 0xa1]))
            var offset = Self.globalHeaderLength
            while offset + Self.recordHeaderLength <= bytes.count {
                recordOffsets.append(offset)
                offset += Self.recordHeaderLength + Int(readUInt32(at: offset + 8))  // incl_len
            }
            try #require(offset == bytes.count)
        }

        func readUInt32(at offset: Int) -> UInt32 {
            bytes[offset ..< offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func writeUInt32(_ value: UInt32, at offset: Int) {
            for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
        }

        /// Original (wire) length of record `index`.
        func originalLength(_ index: Int) -> Int { Int(readUInt32(at: recordOffsets[index] + 12)) }

        /// What `editcap -s SNAPLEN` does to a classic pcap: every frame cut to `snaplen` bytes,
        /// original lengths kept, the header's snaplen set.
        func cut(snaplen: Int) -> [UInt8] {
            var out = Array(bytes[0 ..< Self.globalHeaderLength])
            var header = ClassicPcap(unchecked: out)
            header.writeUInt32(UInt32(snaplen), at: 16)
            out = header.bytes
            for offset in recordOffsets {
                let included = Int(readUInt32(at: offset + 8))
                let kept = min(included, snaplen)
                var record = ClassicPcap(unchecked: Array(bytes[offset ..< offset + Self.recordHeaderLength]))
                record.writeUInt32(UInt32(kept), at: 8)
                out += record.bytes
                let data = offset + Self.recordHeaderLength
                out += bytes[data ..< data + kept]
            }
            return out
        }

        private init(unchecked bytes: [UInt8]) { self.bytes = bytes }
    }

    private static let healthy = "01-healthy-endpoint.pcap"
    private static let frameCount = 107
    /// The record the damage is put in (1-based packet 54, the middle of the capture).
    private static let damagedIndex = 53

    private func healthyCapture() throws -> ClassicPcap {
        let url = SSMPathRunner.capturesDirectory.appendingPathComponent(Self.healthy)
        let capture = try ClassicPcap([UInt8](Data(contentsOf: url)))
        try #require(capture.recordOffsets.count == Self.frameCount)
        return capture
    }

    private func analyze(_ bytes: [UInt8], name: String) throws -> (SSMPathRunner.Output, [String: Any]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ssmpath-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let output = try SSMPathRunner.run(["analyze", "--format", "json", path])
        // 0 (healthy) or 1 (problems found): a report either way, never a crash (>= 2 or a signal).
        #expect(output.status == 0 || output.status == 1, "status \(output.status), stderr: \(output.stderr)")
        let json = try #require(output.json, "stdout is not a JSON report: \(output.stderr)")
        return (output, json)
    }

    private func onlyCapture(_ json: [String: Any]) throws -> [String: Any] {
        let captures = try #require(json["captures"] as? [[String: Any]])
        try #require(captures.count == 1)
        return captures[0]
    }

    private func counter(_ json: [String: Any], _ name: String) -> Int? {
        (json["counters"] as? [String: Any])?[name] as? Int
    }

    private func findingCodes(_ json: [String: Any]) -> [String] {
        (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    // MARK: - Snaplen 64

    @Test func snaplen64CaptureIsAnalyzedWithTruncatedFramesCounted() throws {
        let capture = try healthyCapture()
        let longerThan64 = (0..<Self.frameCount).filter { capture.originalLength($0) > 64 }.count
        #expect(longerThan64 == 98)
        let (_, json) = try analyze(capture.cut(snaplen: 64), name: "snaplen64.pcap")
        let file = try onlyCapture(json)
        #expect(file["packets"] as? Int == Self.frameCount)
        #expect(file["truncated"] as? Int == longerThan64)
        // The decoder counts the frames whose headers the snaplen cut.
        #expect((counter(json, "truncated") ?? 0) > 0)
        #expect(findingCodes(json).contains("capture-incomplete"))
    }

    // MARK: - Cut and corrupted files

    @Test func fileCutMidPacketIsAnalyzedUpToTheCut() throws {
        let capture = try healthyCapture()
        let start = capture.recordOffsets[Self.damagedIndex]
        // The record header of packet 54 and 10 of its bytes: a copy interrupted mid-packet.
        let bytes = Array(capture.bytes[0 ..< start + ClassicPcap.recordHeaderLength + 10])
        let (output, json) = try analyze(bytes, name: "cut.pcap")
        let file = try onlyCapture(json)
        #expect(file["packets"] as? Int == Self.damagedIndex)
        let warnings = file["warnings"] as? [String] ?? []
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("cut.pcap: file ends inside packet 54") == true, "\(warnings)")
        #expect(output.stderr.contains("warning: ") && output.stderr.contains("packet 54"))
        // The first 53 packets hold the whole healthy exchange through the endpoint.
        #expect(findingCodes(json).contains("healthy-vpc-endpoint"))
    }

    @Test func corruptedRecordHeaderStopsTheFileThereWithAWarning() throws {
        var capture = try healthyCapture()
        // incl_len of packet 54 set far past the snaplen (262144): damaged in transfer.
        capture.writeUInt32(0x7fff_fff0, at: capture.recordOffsets[Self.damagedIndex] + 8)
        let (output, json) = try analyze(capture.bytes, name: "corrupt-record.pcap")
        let file = try onlyCapture(json)
        #expect(file["packets"] as? Int == Self.damagedIndex)
        let warnings = file["warnings"] as? [String] ?? []
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("packet record 54 is corrupt") == true, "\(warnings)")
        #expect(warnings.first?.contains("2147483632") == true, "the bad length is named: \(warnings)")
        #expect(output.stderr.contains("packet record 54"))
        #expect(findingCodes(json).contains("healthy-vpc-endpoint"))
    }

    // MARK: - Wrong link type

    /// The link-type field of the pcap global header (offset 20, little-endian).
    private func relabelled(as linkType: UInt32) throws -> [UInt8] {
        var capture = try healthyCapture()
        capture.writeUInt32(linkType, at: 20)
        return capture.bytes
    }

    @Test func privateLinkTypeUSER0IsNamedAsTheReason() throws {
        let (output, json) = try analyze(try relabelled(as: 147), name: "user0.pcap")
        let file = try onlyCapture(json)
        #expect(file["packets"] as? Int == Self.frameCount)
        #expect(counter(json, "unsupportedLinkType") == Self.frameCount)
        let warnings = file["warnings"] as? [String] ?? []
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("none of its 107 frames holds an IP packet as link type DLT_147;") == true,
                "\(warnings)")
        #expect(output.stderr.contains("link type in the file header may be wrong"))
    }

    @Test func ethernetCaptureLabelledRAWIsNamedAsTheReason() throws {
        let (output, json) = try analyze(try relabelled(as: 101), name: "raw.pcap")
        let file = try onlyCapture(json)
        #expect(file["packets"] as? Int == Self.frameCount)
        // Ethernet frames read as raw IP: the first nibble (of a MAC address) is no IP version.
        #expect(counter(json, "notIP") == Self.frameCount)
        let warnings = file["warnings"] as? [String] ?? []
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("as link type RAW;") == true, "\(warnings)")
        #expect(output.stderr.contains("raw.pcap: none of its 107 frames"))
    }

    @Test func healthyCaptureHasNoLinkTypeWarning() throws {
        let capture = try healthyCapture()
        let (_, json) = try analyze(capture.bytes, name: "healthy.pcap")
        #expect((try onlyCapture(json)["warnings"] as? [String])?.isEmpty == true)
    }
}
