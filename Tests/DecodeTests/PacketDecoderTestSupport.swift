import Capture
@testable import Decode

// MARK: - Building packets byte by byte (test-only)

enum Build {
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func v4(_ text: String) -> [UInt8] {
        guard case .v4(let v)? = IPAddress(text) else { return [0, 0, 0, 0] }
        return be32(v)
    }

    static func v6(_ text: String) -> [UInt8] {
        guard case .v6(let h, let l)? = IPAddress(text) else { return [UInt8](repeating: 0, count: 16) }
        return be32(UInt32(h >> 32)) + be32(UInt32(h & 0xFFFF_FFFF)) + be32(UInt32(l >> 32)) + be32(UInt32(l & 0xFFFF_FFFF))
    }

    /// An IPv4 packet; `totalLength` overrides the computed length, `options` must be a multiple of 4.
    static func ipv4(src: String = "192.0.2.1", dst: String = "192.0.2.2", proto: UInt8, payload: [UInt8],
                     id: UInt16 = 0x1234, moreFragments: Bool = false, fragmentOffset: Int = 0,
                     options: [UInt8] = [], ihl: Int? = nil, totalLength: Int? = nil) -> [UInt8] {
        let headerLength = 20 + options.count
        let ihlValue = UInt8(ihl ?? headerLength / 4)
        let total = UInt16(totalLength ?? headerLength + payload.count)
        let flagsOffset = UInt16(fragmentOffset / 8) | (moreFragments ? 0x2000 : 0)
        var b: [UInt8] = [0x40 | ihlValue, 0]
        b += be16(total) + be16(id) + be16(flagsOffset) + [64, proto, 0, 0]
        b += v4(src) + v4(dst) + options
        return b + payload
    }

    static func ipv6(src: String = "2001:db8::1", dst: String = "2001:db8::2", nextHeader: UInt8, payload: [UInt8],
                     payloadLength: Int? = nil) -> [UInt8] {
        var b: [UInt8] = [0x60, 0, 0, 0]
        b += be16(UInt16(payloadLength ?? payload.count)) + [nextHeader, 64]
        return b + v6(src) + v6(dst) + payload
    }

    /// An IPv6 extension header (hop-by-hop, routing, destination options) of `8 * (extLen + 1)` bytes.
    static func ipv6Extension(next: UInt8, extLen: UInt8 = 0) -> [UInt8] {
        [next, extLen] + [UInt8](repeating: 0, count: 8 * (Int(extLen) + 1) - 2)
    }

    static func ipv6Fragment(next: UInt8, offset: Int, more: Bool, id: UInt32) -> [UInt8] {
        [next, 0] + be16(UInt16(offset / 8) << 3 | (more ? 1 : 0)) + be32(id)
    }

    static func tcp(src: UInt16 = 40000, dst: UInt16 = 443, seq: UInt32 = 1000, ack: UInt32 = 0, flags: UInt16 = 0x002,
                    window: UInt16 = 65535, options: [UInt8] = [], dataOffset: Int? = nil, payload: [UInt8] = []) -> [UInt8] {
        let offsetWords = UInt16(dataOffset ?? (20 + options.count) / 4)
        var b = be16(src) + be16(dst) + be32(seq) + be32(ack)
        b += be16(offsetWords << 12 | flags) + be16(window) + [0, 0, 0, 0]
        return b + options + payload
    }

    static func udp(src: UInt16 = 5353, dst: UInt16 = 53, payload: [UInt8], length: Int? = nil) -> [UInt8] {
        be16(src) + be16(dst) + be16(UInt16(length ?? 8 + payload.count)) + [0, 0] + payload
    }

    static func ethernet(etherType: UInt16, tags: [(UInt16, UInt16)] = [], payload: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2]
        for (tpid, tci) in tags { b += be16(tpid) + be16(tci) }
        return b + be16(etherType) + payload
    }
}

// MARK: - Decoding into values that outlive the buffer

/// What a decode returned, copied out of the borrowed buffers.
struct DecodedSummary: Equatable {
    var source: IPAddress
    var destination: IPAddress
    var sourcePort: UInt16
    var destinationPort: UInt16
    var isTCP: Bool
    var tcp: TCPHeaderFields?
    var payload: [UInt8]
    var payloadLength: Int
    var frameLength: Int
    var tunnel: TunnelEndpoints? = nil
}

extension PacketDecoder {
    /// Decodes `bytes` as one frame of `linkType`; `originalLength` defaults to the byte count.
    mutating func decodeBytes(_ bytes: [UInt8], linkType: LinkType = .ethernet, originalLength: Int? = nil,
                              seconds: Int64 = 1_000, number: Int64 = 1) -> DecodedSummary? {
        bytes.withUnsafeBytes { raw in
            let record = PacketRecord(timestamp: Timestamp(seconds: seconds, nanoseconds: 0),
                                      ref: PacketRef(fileIndex: 0, number: number), linkType: linkType, bytes: raw,
                                      originalLength: originalLength ?? bytes.count)
            guard let packet = decode(record) else { return nil }
            var tcp: TCPHeaderFields?
            if case .tcp(let fields) = packet.transport { tcp = fields }
            return DecodedSummary(source: packet.source, destination: packet.destination,
                                  sourcePort: packet.transport.sourcePort,
                                  destinationPort: packet.transport.destinationPort, isTCP: tcp != nil, tcp: tcp,
                                  payload: Array(packet.payload), payloadLength: packet.payloadLength,
                                  frameLength: packet.frameLength, tunnel: packet.tunnel)
        }
    }
}

/// Calls `body` with a raw buffer over `bytes`.
@discardableResult
func withRaw<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
    try bytes.withUnsafeBytes(body)
}

/// Runs `body` on every strict prefix of `bytes` (lengths 0 ..< count).
func forEachStrictPrefix(of bytes: [UInt8], _ body: (Int, UnsafeRawBufferPointer) -> Void) {
    for length in 0..<bytes.count {
        Array(bytes[0..<length]).withUnsafeBytes { body(length, $0) }
    }
}
