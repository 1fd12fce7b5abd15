import Testing
@testable import Decode

// MARK: - UDP header view (RFC 768)

@Suite struct UDPHeaderTests {
    static let datagram = Build.udp(src: 5353, dst: 53, payload: [1, 2, 3, 4, 5])

    @Test func readsFields() throws {
        try withRaw(Self.datagram) { raw in
            let header = try UDPHeader(raw)
            #expect(header.sourcePort == 5353 && header.destinationPort == 53)
            #expect(header.length == 13 && header.claimedPayloadLength == 5)
            #expect(Array(header.payload) == [1, 2, 3, 4, 5])
        }
    }

    @Test func everyStrictPrefixOfTheHeaderIsTruncated() {
        forEachStrictPrefix(of: Array(Self.datagram[0..<8])) { length, raw in
            #expect(throws: HeaderError.truncated(needed: 8, available: length)) { try UDPHeader(raw) }
        }
    }

    @Test(arguments: 0...7)
    func lengthBelowEightIsMalformed(length: Int) {
        withRaw(Build.udp(payload: [1, 2], length: length)) { raw in
            #expect(throws: HeaderError.malformed(.udpLengthBelowHeader)) { try UDPHeader(raw) }
        }
    }

    @Test func payloadIsTheSmallerOfLengthFieldAndCapturedBytes() throws {
        try withRaw(Build.udp(payload: [1, 2, 3, 4, 5], length: 10)) { raw in
            let header = try UDPHeader(raw)
            #expect(Array(header.payload) == [1, 2])
        }
        try withRaw(Build.udp(payload: [1, 2, 3], length: 100)) { raw in
            let header = try UDPHeader(raw)
            #expect(Array(header.payload) == [1, 2, 3])
            #expect(header.claimedPayloadLength == 92)
        }
    }

    @Test func decoderReportsClaimedAndCapturedPayload() throws {
        var decoder = PacketDecoder()
        let packet = Build.ipv4(proto: 17, payload: Build.udp(payload: [UInt8](repeating: 0xAB, count: 100)))
        let decodedCut = decoder.decodeBytes(Array(packet[0..<60]), linkType: .raw, originalLength: packet.count)
        let cut = try #require(decodedCut)
        #expect(cut.payload.count == 32 && cut.payloadLength == 100)
        #expect(cut.frameLength == packet.count)
        #expect(decoder.anomalies.truncated == 1)
        // A UDP length larger than the IP payload is bounded by the IP payload.
        let lying = Build.ipv4(proto: 17, payload: Build.udp(payload: [1, 2, 3], length: 500))
        let decodedLying = decoder.decodeBytes(lying, linkType: .raw)
        let bounded = try #require(decodedLying)
        #expect(bounded.payload == [1, 2, 3] && bounded.payloadLength == 3)
        #expect(decoder.decodeBytes(Build.ipv4(proto: 17, payload: Build.udp(payload: [], length: 4)), linkType: .raw) == nil)
        #expect(decoder.anomalies.malformed == 1)
    }
}
