import Testing
@testable import Decode

// MARK: - TCP header view (RFC 9293 §3.1) and options (RFC 7323, RFC 2018)

@Suite struct TCPHeaderTests {
    // MSS 1460, SACK permitted, timestamps, NOP, window scale 7: what Linux sends in a SYN.
    static let synOptions: [UInt8] = [2, 4, 0x05, 0xB4, 4, 2, 8, 10] + Build.be32(0x0102_0304) + Build.be32(0) + [1, 3, 3, 7]
    static let syn = Build.tcp(src: 40000, dst: 443, seq: 0xDEAD_BEEF, ack: 0, flags: 0x002, window: 64240,
                               options: synOptions, payload: [0x16, 0x03])

    @Test func readsFieldsAndOptions() throws {
        try withRaw(Self.syn) { raw in
            let header = try TCPHeader(raw)
            #expect(header.headerLength == 40)
            #expect(header.sourcePort == 40000 && header.destinationPort == 443)
            #expect(header.sequenceNumber == 0xDEAD_BEEF && header.acknowledgementNumber == 0)
            #expect(header.flags == .syn)
            #expect(header.window == 64240)
            #expect(Array(header.payload) == [0x16, 0x03])
            let (options, malformed) = header.options
            #expect(!malformed)
            #expect(options.mss == 1460)
            #expect(options.sackPermitted)
            #expect(options.windowScale == 7)
            #expect(options.timestampValue == 0x0102_0304 && options.timestampEcho == 0)
        }
    }

    @Test func everyStrictPrefixOfTheHeaderIsTruncated() {
        forEachStrictPrefix(of: Array(Self.syn[0..<40])) { length, raw in
            #expect(throws: HeaderError.truncated(needed: length < 20 ? 20 : 40, available: length)) { try TCPHeader(raw) }
        }
    }

    @Test(arguments: 0...4)
    func dataOffsetBelowFiveIsMalformed(words: Int) {
        withRaw(Build.tcp(dataOffset: words)) { raw in
            #expect(throws: HeaderError.malformed(.tcpDataOffsetBelowMinimum)) { try TCPHeader(raw) }
        }
    }

    @Test func flagsIncludingECN() throws {
        try withRaw(Build.tcp(flags: 0x0D2)) { raw in  // CWR ECE ACK SYN
            let header = try TCPHeader(raw)
            #expect(header.flags == [.cwr, .ece, .ack, .syn])
        }
    }

    // MARK: - Options

    func parse(_ bytes: [UInt8]) -> (options: TCPOptions, malformed: Bool) {
        withRaw(bytes) { TCPOptionParser.parse($0) }
    }

    @Test func sackBlocksEOLAndUnknownKinds() {
        let sack = [1, 1, 5, 26] + [UInt8](repeating: 0, count: 24)
        #expect(parse(sack).options.sackBlockCount == 3)
        #expect(!parse(sack).malformed)
        // EOL ends the list: the MSS after it is not read.
        #expect(parse([0, 0, 2, 4, 5, 0xB4]).options.mss == nil)
        // Unknown kind 30 (MPTCP) with a valid length is skipped.
        let unknown: [UInt8] = [30, 4, 0, 0, 2, 4, 5, 0xB4]
        #expect(parse(unknown).options.mss == 1460 && !parse(unknown).malformed)
        #expect(parse([]).options == TCPOptions())
    }

    static let badOptionLists: [[UInt8]] = [
        [2, 4, 5, 0xB4, 8],                // timestamps kind without a length byte
        [2, 4, 5, 0xB4, 8, 0],             // length 0
        [2, 4, 5, 0xB4, 8, 1],             // length 1
        [2, 4, 5, 0xB4, 8, 10, 0, 0],      // length past the options area
        [2, 4, 5, 0xB4, 3, 4, 7, 0],       // window scale with length 4
        [2, 4, 5, 0xB4, 4, 3, 0, 0],       // SACK permitted with length 3
        [2, 4, 5, 0xB4, 5, 6, 0, 0, 0, 0], // SACK with a partial block
        [2, 4, 5, 0xB4, 5, 2, 1, 1],       // SACK with no block
        [2, 4, 5, 0xB4, 8, 8, 0, 0, 0, 0, 0, 0], // timestamps with length 8
    ]

    @Test(arguments: badOptionLists)
    func badOptionLengthStopsParsingButKeepsEarlierOptions(options: [UInt8]) {
        let (parsed, malformed) = parse(options)
        #expect(malformed)
        #expect(parsed.mss == 1460)
    }

    @Test func badMSSLengthIsMalformedWithNothingKept() {
        #expect(parse([2, 3, 5, 1]).malformed)
        #expect(parse([2, 3, 5, 1]).options.mss == nil)
    }

    @Test func malformedOptionsStillYieldTheSegmentAndAreCounted() throws {
        let segment = Build.tcp(options: [8, 0, 0, 0], payload: [7])
        var decoder = PacketDecoder()
        let decoded = decoder.decodeBytes(Build.ipv4(proto: 6, payload: segment), linkType: .raw)
        let packet = try #require(decoded)
        #expect(packet.payload == [7])
        #expect(decoder.anomalies.malformedTCPOptions == 1)
        #expect(decoder.anomalies.malformed == 0)
    }

    @Test func dataOffsetPastTheSegmentIsMalformedButASnaplenCutIsTruncated() {
        var decoder = PacketDecoder()
        // Data offset 15 (60 bytes) in a 20-byte segment the IP header says is complete.
        #expect(decoder.decodeBytes(Build.ipv4(proto: 6, payload: Build.tcp(dataOffset: 15)), linkType: .raw) == nil)
        #expect(decoder.anomalies.malformed == 1 && decoder.anomalies.truncated == 0)
        // The same 40-byte header cut after 30 bytes by the snaplen.
        let full = Build.ipv4(proto: 6, payload: Self.syn)
        #expect(decoder.decodeBytes(Array(full[0..<50]), linkType: .raw, originalLength: full.count) == nil)
        #expect(decoder.anomalies.malformed == 1 && decoder.anomalies.truncated == 1)
    }
}
