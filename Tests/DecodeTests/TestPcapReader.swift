import Foundation

/// A minimal classic-pcap reader for DecodeTests fixtures and the shared corpus (test-only; the
/// product reads files through Capture). Returns nil for pcapng or anything it does not understand.
struct TestPcapFile {
    struct Packet {
        var seconds: Int64
        var subsecondNanoseconds: Int64
        var bytes: [UInt8]
        var originalLength: Int
    }

    var linkType: Int32
    var packets: [Packet]

    init?(data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count >= 24 else { return nil }
        func u32(_ offset: Int, bigEndian: Bool) -> UInt32? {
            guard offset >= 0, offset + 4 <= bytes.count else { return nil }
            let b = bytes[offset..<offset + 4].map(UInt32.init)
            return bigEndian ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
        }
        guard let magicLE = u32(0, bigEndian: false) else { return nil }
        let bigEndian: Bool
        let nanosecond: Bool
        switch magicLE {
        case 0xA1B2_C3D4: bigEndian = false; nanosecond = false
        case 0xA1B2_3C4D: bigEndian = false; nanosecond = true
        case 0xD4C3_B2A1: bigEndian = true; nanosecond = false
        case 0x4D3C_B2A1: bigEndian = true; nanosecond = true
        default: return nil
        }
        guard let rawLinkType = u32(20, bigEndian: bigEndian) else { return nil }
        linkType = Int32(rawLinkType & 0xFFFF)
        packets = []
        var offset = 24
        while offset + 16 <= bytes.count {
            guard let sec = u32(offset, bigEndian: bigEndian), let sub = u32(offset + 4, bigEndian: bigEndian),
                  let included = u32(offset + 8, bigEndian: bigEndian), let original = u32(offset + 12, bigEndian: bigEndian)
            else { break }
            let start = offset + 16
            let end = start + Int(included)
            guard end <= bytes.count else { break }
            packets.append(Packet(seconds: Int64(sec), subsecondNanoseconds: nanosecond ? Int64(sub) : Int64(sub) * 1000,
                                  bytes: Array(bytes[start..<end]), originalLength: Int(original)))
            offset = end
        }
    }

    init?(url: URL) {
        guard let data = try? Data(contentsOf: url) else { return nil }
        self.init(data: data)
    }
}
