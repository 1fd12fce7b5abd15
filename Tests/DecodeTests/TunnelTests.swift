import Testing
import Capture
@testable import Decode

// PPPoE sessions, GRE (plain, transparent Ethernet, ERSPAN II/III, PPTP) and GTP-U G-PDUs, built
// byte by byte from their RFCs / 3GPP TS 29.281, down to the inner UDP datagram.

/// A decoder behind a reference, so that `#require` and `#expect` can call it.
final class Decoding {
    var decoder = PacketDecoder()
    var anomalies: DecodeAnomalies { decoder.anomalies }
    func decodeBytes(_ bytes: [UInt8], linkType: LinkType = .ethernet, originalLength: Int? = nil) -> DecodedSummary? {
        decoder.decodeBytes(bytes, linkType: linkType, originalLength: originalLength)
    }
}

@Suite struct TunnelTests {
    /// The inner packet every tunnel carries: a DNS query from 10.0.0.5 to 10.0.0.2.
    static let innerIPv4 = Build.ipv4(src: "10.0.0.5", dst: "10.0.0.2", proto: 17,
                                      payload: Build.udp(src: 5353, dst: 53, payload: [0xD5, 0x5D]))
    static let innerIPv6 = Build.ipv6(src: "fd00::5", dst: "fd00:ec2::253", nextHeader: 17,
                                      payload: Build.udp(src: 5353, dst: 53, payload: [0xD5, 0x5D]))

    // MARK: - PPPoE

    static func pppoe(_ ppp: [UInt8], code: UInt8 = 0, versionType: UInt8 = 0x11) -> [UInt8] {
        // VER/TYPE, CODE, SESSION_ID, LENGTH (PPP bytes), then PPP.
        Build.ethernet(etherType: 0x8864, payload: [versionType, code] + Build.be16(0x1234) + Build.be16(UInt16(ppp.count)) + ppp)
    }

    @Test func pppoeSessionCarriesIPv4AndIPv6() throws {
        let decoder = Decoding()
        let v4 = try #require(decoder.decodeBytes(Self.pppoe(Build.be16(0x0021) + Self.innerIPv4)))
        #expect(v4.source == IPAddress("10.0.0.5") && v4.destinationPort == 53 && v4.payload == [0xD5, 0x5D])
        #expect(v4.tunnel == nil)  // a link layer, not a tunnel
        let v6 = try #require(decoder.decodeBytes(Self.pppoe(Build.be16(0x0057) + Self.innerIPv6)))
        #expect(v6.destination == IPAddress("fd00:ec2::253"))
        // Protocol-Field-Compression: a single odd byte.
        let compressed = try #require(decoder.decodeBytes(Self.pppoe([0x21] + Self.innerIPv4)))
        #expect(compressed.destination == IPAddress("10.0.0.2"))
        // Behind a VLAN tag too.
        let tagged = Build.ethernet(etherType: 0x8864, tags: [(0x8100, 7)],
                                    payload: [0x11, 0] + Build.be16(1) + Build.be16(UInt16(2 + Self.innerIPv4.count))
                                        + Build.be16(0x0021) + Self.innerIPv4)
        #expect(decoder.decodeBytes(tagged)?.source == IPAddress("10.0.0.5"))
    }

    @Test func pppoeControlAndDiscoveryAreNotIP() {
        let decoder = Decoding()
        #expect(decoder.decodeBytes(Self.pppoe(Build.be16(0xC021) + [1, 1, 0, 4])) == nil)           // LCP
        #expect(decoder.decodeBytes(Self.pppoe(Build.be16(0x0021) + Self.innerIPv4, code: 0x09)) == nil)  // PADI code
        #expect(decoder.decodeBytes(Self.pppoe(Build.be16(0x0021) + Self.innerIPv4, versionType: 0x21)) == nil)
        #expect(decoder.decodeBytes(Build.ethernet(etherType: 0x8863, payload: [0x11, 0x09, 0, 0, 0, 0])) == nil)
        #expect(decoder.anomalies.notIP == 4 && decoder.anomalies.malformed == 0)
    }

    @Test func everyStrictPrefixOfThePPPoEAndPPPHeadersIsTruncated() {
        let headers = Array(Self.pppoe(Build.be16(0x0021)))
        forEachStrictPrefix(of: headers) { length, raw in
            guard case .invalid(.truncated(let needed, let available)) = LinkLayer.locateNetworkLayer(linkType: .ethernet, bytes: raw)
            else { Issue.record("prefix \(length) not truncated"); return }
            #expect(available == length && needed > length)
        }
        // SLL2 reaches PPPoE through the same path.
        let sll2 = Build.be16(0x8864) + [0, 0] + Build.be32(3) + Build.be16(1) + [0, 6] + [2, 0, 0, 0, 0, 1, 0, 0]
            + [0x11, 0] + Build.be16(1) + Build.be16(2) + Build.be16(0x0057)
        #expect(withRaw(sll2) { LinkLayer.locateNetworkLayer(linkType: .linuxSLL2, bytes: $0) } == .network(.ipv6, offset: 28))
    }

    // MARK: - GRE

    static func gre(flags: UInt16, protocolType: UInt16, optional: [UInt8] = [], payload: [UInt8]) -> [UInt8] {
        Build.be16(flags) + Build.be16(protocolType) + optional + payload
    }

    static func outer(_ gre: [UInt8]) -> [UInt8] {
        Build.ethernet(etherType: 0x0800, payload: Build.ipv4(src: "192.0.2.10", dst: "192.0.2.20", proto: 47, payload: gre))
    }

    static let outerEndpoints = TunnelEndpoints(source: .v4(0xC000_020A), destination: .v4(0xC000_0214))

    @Test func greWithChecksumKeyAndSequenceCarriesIP() throws {
        let decoder = Decoding()
        let plain = try #require(decoder.decodeBytes(Self.outer(Self.gre(flags: 0, protocolType: 0x0800, payload: Self.innerIPv4))))
        #expect(plain.source == IPAddress("10.0.0.5") && plain.tunnel == Self.outerEndpoints)
        let allOptions = Self.gre(flags: 0xB000, protocolType: 0x86DD, optional: [UInt8](repeating: 0, count: 12),
                                  payload: Self.innerIPv6)
        let v6 = try #require(decoder.decodeBytes(Self.outer(allOptions)))
        #expect(v6.destination == IPAddress("fd00:ec2::253") && v6.payload == [0xD5, 0x5D])
    }

    @Test func greTransparentEthernetAndERSPAN() throws {
        let decoder = Decoding()
        let mirrored = Build.ethernet(etherType: 0x0800, payload: Self.innerIPv4)
        // Transparent Ethernet bridging with a key (as Zeek's erspan trace has it).
        let bridged = Self.gre(flags: 0x2000, protocolType: 0x6558, optional: Build.be32(7), payload: mirrored)
        #expect(try #require(decoder.decodeBytes(Self.outer(bridged))).tunnel == Self.outerEndpoints)
        // ERSPAN type II: sequence number in GRE, then an 8-byte ERSPAN header.
        let type2 = Self.gre(flags: 0x1000, protocolType: 0x88BE, optional: Build.be32(1),
                             payload: [0x10, 0x01, 0x00, 0x05, 0, 0, 0, 0] + mirrored)
        #expect(decoder.decodeBytes(Self.outer(type2))?.source == IPAddress("10.0.0.5"))
        // ERSPAN type I: no sequence number, no ERSPAN header.
        let type1 = Self.gre(flags: 0, protocolType: 0x88BE, payload: mirrored)
        #expect(decoder.decodeBytes(Self.outer(type1))?.source == IPAddress("10.0.0.5"))
        // ERSPAN type III, with and without the 8-byte platform subheader (O bit).
        let type3 = [0x20, 0x01, 0x00, 0x05] + Build.be32(0x1234) + [0, 0, 0x00, 0x00]
        let type3Packet = Self.gre(flags: 0x1000, protocolType: 0x22EB, optional: Build.be32(1), payload: type3 + mirrored)
        #expect(decoder.decodeBytes(Self.outer(type3Packet))?.source == IPAddress("10.0.0.5"))
        let withSub = Array(type3[0..<11]) + [0x01] + [UInt8](repeating: 0, count: 8)
        let subPacket = Self.gre(flags: 0x1000, protocolType: 0x22EB, optional: Build.be32(2), payload: withSub + mirrored)
        #expect(decoder.decodeBytes(Self.outer(subPacket))?.source == IPAddress("10.0.0.5"))
        // Frame type other than Ethernet (FT = 2, IP) is not followed.
        let ipFrame = Array(type3[0..<10]) + [0x08, 0x00]
        #expect(decoder.decodeBytes(Self.outer(Self.gre(flags: 0x1000, protocolType: 0x22EB, optional: Build.be32(3),
                                                         payload: ipFrame + Self.innerIPv4))) == nil)
    }

    @Test func pptpEnhancedGRECarriesPPP() throws {
        let decoder = Decoding()
        // Version 1, K and S set: payload length(2) call ID(2), sequence(4); then PPP FF 03 0021.
        let ppp: [UInt8] = [0xFF, 0x03] + Build.be16(0x0021) + Self.innerIPv4
        let pptp = Self.gre(flags: 0x3001, protocolType: 0x880B, optional: Build.be16(UInt16(ppp.count)) + Build.be16(9)
                            + Build.be32(1), payload: ppp)
        // Over IPv6 then IPv4, as Zeek's gre-pptp trace: two tunnel levels.
        let outerV4 = Build.ipv4(src: "16.0.0.200", dst: "192.0.2.1", proto: 47, payload: pptp)
        let frame = Build.ethernet(etherType: 0x86DD, payload: Build.ipv6(nextHeader: 4, payload: outerV4))
        let packet = try #require(decoder.decodeBytes(frame))
        #expect(packet.source == IPAddress("10.0.0.5") && packet.tunnel?.source == IPAddress("2001:db8::1"))
        // Acknowledgment only, compressed address/control and protocol.
        let ackOnly = Self.gre(flags: 0x2081, protocolType: 0x880B, optional: Build.be16(0) + Build.be16(9) + Build.be32(5),
                               payload: [0x21] + Self.innerIPv4)
        #expect(decoder.decodeBytes(Self.outer(ackOnly))?.destination == IPAddress("10.0.0.2"))
        // Version 1 without its key, or carrying something other than PPP, is not followed.
        #expect(decoder.decodeBytes(Self.outer(Self.gre(flags: 0x0001, protocolType: 0x880B, payload: ppp))) == nil)
        #expect(decoder.decodeBytes(Self.outer(Self.gre(flags: 0x2001, protocolType: 0x0800, optional: Build.be32(0),
                                                         payload: Self.innerIPv4))) == nil)
    }

    @Test func greThatIsNotFollowedIsCountedNotMalformed() {
        let decoder = Decoding()
        #expect(decoder.decodeBytes(Self.outer(Self.gre(flags: 0x4000, protocolType: 0x0800, payload: Self.innerIPv4))) == nil)  // routing
        #expect(decoder.decodeBytes(Self.outer(Self.gre(flags: 0x0002, protocolType: 0x0800, payload: Self.innerIPv4))) == nil)  // version 2
        #expect(decoder.decodeBytes(Self.outer(Self.gre(flags: 0, protocolType: 0x0806, payload: [0]))) == nil)  // ARP
        #expect(decoder.anomalies.otherTransport == 3 && decoder.anomalies.malformed == 0)
    }

    @Test func everyStrictPrefixOfAGREHeaderStackIsTruncated() {
        let stack = Self.gre(flags: 0xB000, protocolType: 0x22EB, optional: [UInt8](repeating: 0, count: 12),
                             payload: [0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01] + [UInt8](repeating: 0, count: 8)
                                + Build.ethernet(etherType: 0x0800, tags: [(0x8100, 1)], payload: []))
        #expect(withRaw(stack) { GREHeader.locateNetworkLayer($0) } == .network(.ipv4, offset: stack.count))
        forEachStrictPrefix(of: stack) { length, raw in
            guard case .invalid(.truncated(let needed, let available)) = GREHeader.locateNetworkLayer(raw)
            else { Issue.record("prefix \(length) not truncated"); return }
            #expect(available == length && needed > length)
        }
        // A whole frame cut inside the GRE header counts as a snaplen cut, not a crash.
        let decoder = Decoding()
        let frame = Self.outer(stack + Self.innerIPv4)
        for cut in 34..<(34 + stack.count) {
            #expect(decoder.decodeBytes(Array(frame[..<cut]), originalLength: frame.count) == nil)
        }
        #expect(decoder.anomalies.truncated == Int64(stack.count) && decoder.anomalies.malformed == 0)
    }

    // MARK: - GTP-U

    static func gtp(flags: UInt8 = 0x30, type: UInt8 = 0xFF, optional: [UInt8] = [], payload: [UInt8]) -> [UInt8] {
        [flags, type] + Build.be16(UInt16(optional.count + payload.count)) + Build.be32(0xABCD) + optional + payload
    }

    static func overUDP(_ gtp: [UInt8], src: UInt16 = 2152, dst: UInt16 = 2152) -> [UInt8] {
        Build.ipv4(src: "192.0.2.10", dst: "192.0.2.20", proto: 17, payload: Build.udp(src: src, dst: dst, payload: gtp))
    }

    @Test func gtpuGPDUCarriesTheSubscribersPacket() throws {
        let decoder = Decoding()
        let plain = try #require(decoder.decodeBytes(Self.overUDP(Self.gtp(payload: Self.innerIPv4)), linkType: .raw))
        #expect(plain.source == IPAddress("10.0.0.5") && plain.destinationPort == 53)
        #expect(plain.tunnel == Self.outerEndpoints)
        // S flag: sequence(2) N-PDU(1) next type(1) = 0.
        let sequenced = Self.gtp(flags: 0x32, optional: [0, 1, 0, 0], payload: Self.innerIPv6)
        #expect(decoder.decodeBytes(Self.overUDP(sequenced, src: 40000), linkType: .raw)?.destination == IPAddress("fd00:ec2::253"))
        // E flag: a PDU session container (type 0x85, 1 unit: length, 2 content bytes, next type 0).
        let extended = Self.gtp(flags: 0x34, optional: [0, 0, 0, 0x85], payload: [1, 0x00, 0x09, 0] + Self.innerIPv4)
        #expect(decoder.decodeBytes(Self.overUDP(extended), linkType: .raw)?.source == IPAddress("10.0.0.5"))
    }

    @Test func otherGTPMessagesStayUDP() throws {
        let decoder = Decoding()
        // Echo request (type 1): the datagram itself, port 2152.
        let echo = try #require(decoder.decodeBytes(Self.overUDP(Self.gtp(flags: 0x32, type: 1, optional: [0, 1, 0, 0], payload: [])),
                                                    linkType: .raw))
        #expect(echo.destinationPort == 2152 && echo.tunnel == nil)
        // GTP' (PT = 0) and version 2 are not followed either.
        #expect(decoder.decodeBytes(Self.overUDP(Self.gtp(flags: 0x20, payload: Self.innerIPv4)), linkType: .raw)?.destinationPort == 2152)
        #expect(decoder.decodeBytes(Self.overUDP(Self.gtp(flags: 0x50, payload: Self.innerIPv4)), linkType: .raw)?.destinationPort == 2152)
        // An extension header of length 0 would never end: not followed.
        let zeroLength = Self.gtp(flags: 0x34, optional: [0, 0, 0, 0x85], payload: [0, 0, 0, 0] + Self.innerIPv4)
        #expect(decoder.decodeBytes(Self.overUDP(zeroLength), linkType: .raw)?.destinationPort == 2152)
    }

    @Test func everyStrictPrefixOfAGTPUHeaderIsTruncated() {
        let header = Self.gtp(flags: 0x34, optional: [0, 0, 0, 0x85], payload: [1, 0, 0, 0x85, 1, 0, 0, 0, 0x45])
        #expect(withRaw(header) { GTPUHeader.locateNetworkLayer($0) } == .network(.ipv4, offset: header.count - 1))
        forEachStrictPrefix(of: header) { length, raw in
            guard case .invalid(.truncated(let needed, let available)) = GTPUHeader.locateNetworkLayer(raw)
            else { Issue.record("prefix \(length) not truncated"); return }
            #expect(available == length && needed > length)
        }
    }
}
