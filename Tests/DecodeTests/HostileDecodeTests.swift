import Testing
@testable import Decode

// Hostile inputs the per-parser suites do not already cover (DNSParserHostileTests,
// ClientHelloMalformedTests, IPv4HeaderTests and TCPHeaderTests hold the rest): pointers cut in
// half, into the header or past the end; an IHL past the packet, through the header view and
// the whole decoder; TLS lengths inside ALPN and key_share that overrun their container.

// MARK: - DNS compression pointers

@Suite struct HostileDNSPointerTests {
    @Test func pointerCutInHalfAtTheEndOfTheMessage() {
        // The question's name is the first byte of a pointer; its second byte is missing.
        let bytes = DNSBytes.header(flags: 0x0100) + [0xC0]
        #expect(parseDNS(bytes).failure == .badQuestion(offset: 12))
    }

    @Test func pointerPastTheEndOfTheMessage() throws {
        let bytes = DNSBytes.header(flags: 0x0100) + DNSBytes.question(DNSBytes.pointer(0x3FFF))
        let message = try parseDNS(bytes).get()
        #expect(message.anomalies.contains(.badPointer))
    }

    @Test func pointerIntoTheHeader() throws {
        // Offset 4 is QDCOUNT (00 01): read as labels its first byte is the root name. A pointer
        // backwards is all the parser checks (bounded either way), so this reads as the root.
        let bytes = DNSBytes.header(flags: 0x0100) + DNSBytes.question(DNSBytes.pointer(4))
        let message = try parseDNS(bytes).get()
        #expect(message.questions == [DNSQuestion(name: DNSName(bytes: []), type: DNSType.a, recordClass: 1)])
    }

    @Test func everyPrefixOfAHostileAnswerNeverTraps() {
        // A compressed CNAME chain whose last pointer loops, cut at every length.
        let question = DNSBytes.question(DNSBytes.name("ssm.us-east-1.amazonaws.com"))
        let answer = DNSBytes.record(DNSBytes.pointer(12), type: 5, rdata: [1, 0x78] + DNSBytes.pointer(12 + question.count + 12))
        let bytes = DNSBytes.header(an: 1) + question + answer
        for length in 0...bytes.count { _ = parseDNS(Array(bytes[0..<length])) }
    }
}

// MARK: - IPv4 header length past the packet

@Suite struct HostileIPv4HeaderLengthTests {
    static let udp = Build.udp(payload: [1, 2, 3, 4])

    @Test func ihl15WithATotalLengthThatCoversItButFewerCapturedBytesIsTruncated() {
        // IHL 15 says 60 header bytes; total length says 72; only 32 bytes were captured.
        let bytes = Build.ipv4(proto: 17, payload: Self.udp, ihl: 15, totalLength: 72)
        withRaw(bytes) { raw in
            #expect(throws: HeaderError.truncated(needed: 60, available: bytes.count)) { try IPv4Header(raw) }
        }
    }

    @Test func ihl15PastItsOwnTotalLengthIsMalformed() {
        // IHL 15 (60 bytes) inside a datagram whose total length is 32: the header overruns it.
        let bytes = Build.ipv4(proto: 17, payload: Self.udp, ihl: 15)
        withRaw(bytes) { raw in
            #expect(throws: HeaderError.self) { try IPv4Header(raw) }
        }
    }

    @Test func decoderCountsAnIHLPastThePacketAndGoesOn() {
        var decoder = PacketDecoder()
        let bad = Build.ethernet(etherType: 0x0800, payload: Build.ipv4(proto: 17, payload: Self.udp, ihl: 15))
        #expect(decoder.decodeBytes(bad, linkType: .ethernet) == nil)
        #expect(decoder.anomalies.malformed + decoder.anomalies.truncated == 1)
        // The next, valid frame still decodes.
        let good = Build.ethernet(etherType: 0x0800, payload: Build.ipv4(proto: 17, payload: Self.udp))
        #expect(decoder.decodeBytes(good, linkType: .ethernet) != nil)
    }
}

// MARK: - TLS lengths inside extensions

@Suite struct HostileClientHelloExtensionTests {
    private static func hello(_ extensions: [(type: UInt16, data: [UInt8])]) -> [UInt8] {
        var hello = ClientHelloBuilder()
        hello.extensions = [ClientHelloBuilder.serverName("ssm.us-east-1.amazonaws.com")] + extensions
        return hello.record
    }

    @Test func alpnListLengthPastTheExtension() {
        // protocol_name_list claims 20 bytes; the extension holds 2 + 9.
        let data = TLSTestFraming.u16(20) + [8] + Array("http/1.1".utf8)
        #expect(parseClientHello(Self.hello([(16, data)])).kind == .notThisProtocol)
    }

    @Test func alpnNameLengthPastTheList() {
        let data = TLSTestFraming.u16(9) + [30] + Array("http/1.1".utf8)
        #expect(parseClientHello(Self.hello([(16, data)])).kind == .notThisProtocol)
    }

    @Test func keyShareEntryLengthPastTheList() {
        // client_shares of 6 bytes: group x25519, key_exchange length 32, but only 2 key bytes.
        let data = TLSTestFraming.u16(6) + TLSTestFraming.u16(0x001D) + TLSTestFraming.u16(32) + [0, 0]
        #expect(parseClientHello(Self.hello([(51, data)])).kind == .notThisProtocol)
    }

    @Test func keyShareListLengthPastTheExtension() {
        let data = TLSTestFraming.u16(400) + TLSTestFraming.u16(0x001D) + TLSTestFraming.u16(2) + [0, 0]
        #expect(parseClientHello(Self.hello([(51, data)])).kind == .notThisProtocol)
    }

    @Test func zeroLengthALPNAndKeyShareExtensionsNeverTrap() {
        for type: UInt16 in [16, 51, 43, 0] {
            let result = parseClientHello(Self.hello([(type, [])]))
            #expect(result.kind != .needMoreBytes, "extension \(type)")
        }
    }
}
