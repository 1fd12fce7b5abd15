import Testing
@testable import Decode

// MARK: - IPv4 header view (RFC 791 §3.1)

@Suite struct IPv4HeaderTests {
    static let udpPayload = Build.udp(payload: [1, 2, 3, 4])
    static let withOptions = Build.ipv4(proto: 17, payload: udpPayload, id: 0xBEEF, options: [1, 1, 1, 0])

    @Test func readsFieldsAndSkipsOptionsByIHL() throws {
        try withRaw(Self.withOptions) { raw in
            let header = try IPv4Header(raw)
            #expect(header.headerLength == 24)
            #expect(header.totalLength == 24 + 12)
            #expect(header.protocolNumber == 17)
            #expect(header.source == IPAddress("192.0.2.1"))
            #expect(header.destination == IPAddress("192.0.2.2"))
            #expect(header.identification == 0xBEEF)
            #expect(!header.isFragment && !header.isTruncated)
            #expect(Array(header.payload) == Self.udpPayload)
            #expect(header.claimedPayloadLength == 12)
        }
    }

    @Test func everyStrictPrefixOfTheHeaderIsTruncated() {
        let header = Array(Self.withOptions[0..<24])
        forEachStrictPrefix(of: header) { length, raw in
            #expect(throws: HeaderError.truncated(needed: length < 20 ? 20 : 24, available: length)) {
                try IPv4Header(raw)
            }
        }
    }

    @Test(arguments: 0...4)
    func ihlBelowFiveIsMalformed(ihl: Int) {
        let bytes = Build.ipv4(proto: 17, payload: Self.udpPayload, ihl: ihl)
        withRaw(bytes) { raw in
            #expect(throws: HeaderError.malformed(.ipv4HeaderLengthBelowMinimum)) { try IPv4Header(raw) }
        }
    }

    @Test func wrongVersionIsMalformed() {
        var bytes = Build.ipv4(proto: 17, payload: Self.udpPayload)
        bytes[0] = 0x65
        withRaw(bytes) { raw in
            #expect(throws: HeaderError.malformed(.wrongIPVersion)) { try IPv4Header(raw) }
        }
    }

    @Test func totalLengthBelowHeaderIsMalformed() {
        for total in [1, 19, 23] {
            let bytes = Build.ipv4(proto: 17, payload: Self.udpPayload, options: [1, 1, 1, 0], totalLength: total)
            withRaw(bytes) { raw in
                #expect(throws: HeaderError.malformed(.ipv4TotalLengthBelowHeader)) { try IPv4Header(raw) }
            }
        }
    }

    @Test func totalLengthPastCapturedBytesIsTruncatedNotAnError() throws {
        let bytes = Build.ipv4(proto: 17, payload: Self.udpPayload, totalLength: 1500)
        try withRaw(bytes) { raw in
            let header = try IPv4Header(raw)
            #expect(header.isTruncated)
            #expect(header.payload.count == 12)
            #expect(header.claimedPayloadLength == 1480)
        }
    }

    @Test func ethernetPaddingIsTrimmed() throws {
        let bytes = Build.ipv4(proto: 17, payload: Self.udpPayload) + [UInt8](repeating: 0, count: 18)
        try withRaw(bytes) { raw in
            let header = try IPv4Header(raw)
            #expect(header.packet.count == 32)
            #expect(Array(header.payload) == Self.udpPayload)
            #expect(!header.isTruncated)
        }
    }

    @Test func zeroTotalLengthFromSegmentationOffloadUsesCapturedLength() throws {
        let bytes = Build.ipv4(proto: 6, payload: Build.tcp(payload: [9, 9]), totalLength: 0)
        try withRaw(bytes) { raw in
            let header = try IPv4Header(raw)
            #expect(header.totalLength == bytes.count)
            #expect(!header.isTruncated)
        }
    }

    @Test func fragmentFields() throws {
        let bytes = Build.ipv4(proto: 17, payload: [0, 0, 0, 0, 0, 0, 0, 0], moreFragments: true, fragmentOffset: 1480)
        try withRaw(bytes) { raw in
            let header = try IPv4Header(raw)
            #expect(header.isFragment && header.moreFragments)
            #expect(header.fragmentOffset == 1480)
        }
    }
}
