import Testing
import Capture
@testable import Decode

// MARK: - IP fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5)

@Suite struct FragmentReassemblyTests {
    static let udpPayload = (0..<100).map { UInt8($0) }
    /// A 108-byte UDP datagram (header + 100 bytes).
    static let datagram = Build.udp(src: 5353, dst: 53, payload: udpPayload)
    /// Fragment boundaries (multiples of 8, as RFC 791 requires for all but the last).
    static let pieces = [0..<40, 40..<80, 80..<108]

    static func fragment(_ range: Range<Int>, of data: [UInt8] = datagram, id: UInt16 = 0x77, proto: UInt8 = 17) -> [UInt8] {
        Build.ipv4(proto: proto, payload: Array(data[range]), id: id, moreFragments: range.upperBound < data.count,
                   fragmentOffset: range.lowerBound)
    }

    /// Feeds the pieces in `order`; returns what the last call decoded.
    static func feed(_ order: [Int], decoder: inout PacketDecoder, id: UInt16 = 0x77, at seconds: Int64 = 1_000) -> DecodedSummary? {
        var last: DecodedSummary?
        for index in order {
            last = decoder.decodeBytes(fragment(pieces[index], id: id), linkType: .raw, seconds: seconds)
        }
        return last
    }

    @Test(arguments: [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]])
    func reassemblesInAnyOrder(order: [Int]) throws {
        var decoder = PacketDecoder()
        for index in order.dropLast() {
            #expect(decoder.decodeBytes(Self.fragment(Self.pieces[index]), linkType: .raw) == nil)
        }
        let completing = decoder.decodeBytes(Self.fragment(Self.pieces[order[2]]), linkType: .raw)
        let packet = try #require(completing)
        #expect(packet.payload == Self.udpPayload)
        #expect(packet.payloadLength == 100)
        #expect(packet.sourcePort == 5353 && packet.destinationPort == 53)
        #expect(decoder.anomalies.fragmentsHeld == 2)
        #expect(decoder.anomalies.fragmentsReassembled == 1)
        #expect(decoder.anomalies.fragmentsDropped == 0)
        #expect(decoder.pendingFragmentedDatagrams == 0)
    }

    @Test func duplicatesAreCountedAsOverlapsAndStillComplete() throws {
        var decoder = PacketDecoder()
        let decoded = Self.feed([0, 0, 1, 1, 2], decoder: &decoder)
        let packet = try #require(decoded)
        #expect(packet.payload == Self.udpPayload)
        #expect(decoder.anomalies.fragmentsOverlapping == 2)
        #expect(decoder.anomalies.fragmentsReassembled == 1)
    }

    @Test func overlapsKeepTheBytesThatArrivedFirst() throws {
        // Fragment B (32..<80) carries 0xEE where it overlaps fragment A (0..<40).
        var altered = Self.datagram
        for i in 32..<40 { altered[i] = 0xEE }
        let a = Self.fragment(0..<40)
        let b = Self.fragment(32..<80, of: altered)
        let c = Self.fragment(80..<108)

        var firstA = PacketDecoder()
        _ = firstA.decodeBytes(a, linkType: .raw); _ = firstA.decodeBytes(b, linkType: .raw)
        let decodedA = firstA.decodeBytes(c, linkType: .raw)
        let fromA = try #require(decodedA)
        #expect(fromA.payload == Self.udpPayload)
        #expect(firstA.anomalies.fragmentsOverlapping == 1)

        var firstB = PacketDecoder()
        _ = firstB.decodeBytes(b, linkType: .raw); _ = firstB.decodeBytes(a, linkType: .raw)
        let decodedB = firstB.decodeBytes(c, linkType: .raw)
        let fromB = try #require(decodedB)
        #expect(fromB.payload == Array(altered[8...]))
    }

    @Test func partialDatagramsTimeOut() {
        var decoder = PacketDecoder()  // 30 s timeout
        _ = Self.feed([0], decoder: &decoder, at: 1_000)
        #expect(Self.feed([1, 2], decoder: &decoder, at: 1_031) == nil)
        #expect(decoder.anomalies.fragmentsDropped == 1)
        #expect(decoder.anomalies.fragmentsReassembled == 0)
        #expect(decoder.pendingFragmentedDatagrams == 1)
        // Within the timeout it completes.
        var patient = PacketDecoder()
        _ = Self.feed([0], decoder: &patient, at: 1_000)
        #expect(Self.feed([1, 2], decoder: &patient, at: 1_029) != nil)
    }

    @Test func theOldestDatagramIsEvictedPastTheLimit() {
        var limits = DecodeLimits()
        limits.maxFragmentedDatagrams = 2
        var decoder = PacketDecoder(limits: limits)
        for (offset, id) in [UInt16(1), 2, 3].enumerated() {
            _ = Self.feed([0], decoder: &decoder, id: id, at: 1_000 + Int64(offset))
        }
        #expect(decoder.anomalies.fragmentsDropped == 1)
        #expect(decoder.pendingFragmentedDatagrams == 2)
        #expect(Self.feed([1, 2], decoder: &decoder, id: 2, at: 1_005) != nil)
        #expect(Self.feed([1, 2], decoder: &decoder, id: 3, at: 1_005) != nil)
        // Datagram 1 lost its first fragment to the eviction: it cannot complete.
        #expect(Self.feed([1, 2], decoder: &decoder, id: 1, at: 1_005) == nil)
        #expect(decoder.anomalies.fragmentsReassembled == 2)
    }

    @Test func datagramsLargerThanTheLimitAreDropped() {
        var limits = DecodeLimits()
        limits.maxDatagramBytes = 64
        var decoder = PacketDecoder(limits: limits)
        #expect(Self.feed([0, 1, 2], decoder: &decoder) == nil)
        #expect(decoder.anomalies.fragmentsReassembled == 0)
        #expect(decoder.anomalies.fragmentsDropped >= 1)
    }

    @Test func tooManyFragmentsForOneDatagramAreDropped() {
        var limits = DecodeLimits()
        limits.maxFragmentsPerDatagram = 2
        var decoder = PacketDecoder(limits: limits)
        #expect(Self.feed([0, 1, 2], decoder: &decoder) == nil)
        #expect(decoder.anomalies.fragmentsDropped == 1)
    }

    @Test func conflictingLastFragmentsAreMalformed() {
        var decoder = PacketDecoder()
        _ = decoder.decodeBytes(Self.fragment(80..<108), linkType: .raw)
        // Another "last" fragment ending elsewhere.
        let other = Build.ipv4(proto: 17, payload: [UInt8](repeating: 1, count: 16), id: 0x77, fragmentOffset: 96)
        #expect(decoder.decodeBytes(other, linkType: .raw) == nil)
        #expect(decoder.anomalies.malformed == 1)
        #expect(decoder.anomalies.fragmentsDropped == 1)
    }

    @Test func fragmentsCutBySnaplenAreNotHeld() {
        var decoder = PacketDecoder()
        let first = Self.fragment(0..<40)
        #expect(decoder.decodeBytes(Array(first[0..<30]), linkType: .raw, originalLength: first.count) == nil)
        #expect(decoder.anomalies.truncated == 1)
        #expect(decoder.pendingFragmentedDatagrams == 0)
    }

    @Test func tcpInsideFragments() throws {
        let segment = Build.tcp(src: 50000, dst: 443, flags: 0x018, payload: [UInt8](repeating: 0x16, count: 60))
        var decoder = PacketDecoder()
        _ = decoder.decodeBytes(Self.fragment(0..<40, of: segment, proto: 6), linkType: .raw)
        let completing = decoder.decodeBytes(Self.fragment(40..<80, of: segment, proto: 6), linkType: .raw)
        let packet = try #require(completing)
        #expect(packet.isTCP && packet.destinationPort == 443 && packet.payload.count == 60)
    }

    @Test func copiesOfADecoderDoNotShareReassemblyState() throws {
        var original = PacketDecoder()
        _ = Self.feed([0, 1], decoder: &original)
        var copy = original
        #expect(Self.feed([2], decoder: &copy) != nil)
        #expect(original.pendingFragmentedDatagrams == 1)
        #expect(copy.pendingFragmentedDatagrams == 0)
        #expect(Self.feed([2], decoder: &original) != nil)
    }

    // MARK: - IPv6

    static func ipv6Fragments(id: UInt32) -> [[UInt8]] {
        // Fragmentable part: destination options (8) + the UDP datagram (108) = 116 bytes.
        let fragmentable = Build.ipv6Extension(next: 17) + datagram
        let cuts = [0..<56, 56..<112, 112..<116]
        return cuts.map { range in
            let header = Build.ipv6Fragment(next: 60, offset: range.lowerBound, more: range.upperBound < fragmentable.count, id: id)
            // Hop-by-hop before the fragment header (unfragmentable part).
            return Build.ipv6(nextHeader: 0, payload: Build.ipv6Extension(next: 44) + header + Array(fragmentable[range]))
        }
    }

    @Test(arguments: [[0, 1, 2], [2, 0, 1]])
    func ipv6FragmentsWithExtensionHeadersOnBothSides(order: [Int]) throws {
        let fragments = Self.ipv6Fragments(id: 0xABCD_0001)
        var decoder = PacketDecoder()
        var last: DecodedSummary?
        for index in order { last = decoder.decodeBytes(fragments[index], linkType: .ipv6) }
        let packet = try #require(last)
        #expect(packet.source == IPAddress("2001:db8::1"))
        #expect(packet.payload == Self.udpPayload && packet.payloadLength == 100)
        #expect(decoder.anomalies.fragmentsReassembled == 1 && decoder.anomalies.fragmentsHeld == 2)
    }

    @Test func ipv4AndIPv6FragmentsWithTheSameIDDoNotMix() throws {
        var decoder = PacketDecoder()
        let v6 = Self.ipv6Fragments(id: 0x77)
        _ = decoder.decodeBytes(v6[0], linkType: .ipv6)
        _ = Self.feed([0, 1], decoder: &decoder)
        #expect(Self.feed([2], decoder: &decoder)?.source == IPAddress("192.0.2.1"))
        #expect(decoder.pendingFragmentedDatagrams == 1)
    }
}
