// Fuzz target: PacketDecoder.decode over a short sequence of frames of one link type.
//
// Input: one selector byte, then frames as (16-bit big-endian length, bytes) chunks; the last chunk
// takes what is left. Selector bits 0-3 pick the link type (LinkTypeTable), bit 4 marks every frame
// as cut by the snaplen (originalLength larger than captured). Several frames in one input reach
// the IP fragment reassembler. Each frame is decoded from its own exact-size heap copy, and the
// returned payload is read in full, so a view past the frame trips AddressSanitizer.
import Capture
import Decode
import FuzzSupport

/// Link types the selector chooses from; index 15 is one ssmpath does not decode.
let linkTypeTable: [LinkType] = [
    .ethernet, .ethernet, .ethernet, .linuxSLL, .linuxSLL2, .raw, .rawLinktype, .ipv4,
    .ipv6, .null, .loop, .rawOpenBSD, .ethernet, .linuxSLL, .raw, LinkType(rawValue: 147),
]
let maxFramesPerInput = 64

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPacketDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var cursor = FuzzCursor(fuzzInput(data, size))
    guard let selector = cursor.byte() else { return 0 }
    let linkType = linkTypeTable[Int(selector & 0x0F)]
    let truncated = selector & 0x10 != 0

    var limits = DecodeLimits()
    limits.maxFragmentedDatagrams = 4  // small, so eviction runs too
    var decoder = PacketDecoder(limits: limits)
    var number: Int64 = 0
    while number < Int64(maxFramesPerInput), let frame = cursor.chunk() {
        number += 1
        withExactCopy(of: frame) { bytes in
            let record = PacketRecord(
                timestamp: Timestamp(seconds: 1_767_225_600, nanoseconds: number &* 1_000_000),
                ref: PacketRef(fileIndex: 0, number: number), linkType: linkType, bytes: bytes,
                originalLength: truncated ? bytes.count &+ 1_000 : bytes.count)
            if let packet = decoder.decode(record) {
                touchAll(packet.payload)
                property(packet.payloadLength >= packet.payload.count,
                         "payloadLength \(packet.payloadLength) < captured payload \(packet.payload.count)")
                blackHole(packet.transport.sourcePort ^ packet.transport.destinationPort)
            }
        }
    }
    let anomalies = decoder.anomalies
    property(anomalies.undecodable >= 0 && anomalies.truncated >= 0, "negative anomaly counter")
    return 0
}
