import Testing
import Capture
@testable import Decode

// MARK: - Whole frames through PacketDecoder

@Suite struct PacketDecoderTests {
    static let udp = Build.udp(src: 40001, dst: 53, payload: [0xD5, 0x5D])
    static let ipv4UDP = Build.ipv4(src: "10.0.0.5", dst: "169.254.169.253", proto: 17, payload: udp)
    static let ipv6UDP = Build.ipv6(src: "fd00:ec2::5", dst: "fd00:ec2::253", nextHeader: 17, payload: udp)

    static var framesOfEveryLinkType: [(LinkType, [UInt8], Bool)] {
        func le(_ v: UInt32) -> [UInt8] { Build.be32(v).reversed() }
        return [
            (.ethernet, Build.ethernet(etherType: 0x0800, payload: ipv4UDP) + [0, 0, 0, 0], true),
            (.ethernet, Build.ethernet(etherType: 0x86DD, tags: [(0x88A8, 5), (0x8100, 6)], payload: ipv6UDP), false),
            (.ethernet, Build.ethernet(etherType: 0x0800, tags: [(0x9100, 5)], payload: ipv4UDP), true),
            (.linuxSLL, LinkLayerTests.sll(protocolType: 0x0800) + ipv4UDP, true),
            (.linuxSLL2, LinkLayerTests.sll2(protocolType: 0x86DD) + ipv6UDP, false),
            (.null, le(2) + ipv4UDP, true),
            (.null, Build.be32(30) + ipv6UDP, false),
            (.null, le(10) + ipv6UDP, false),
            (.loop, Build.be32(24) + ipv6UDP, false),
            (.raw, ipv4UDP, true), (.rawOpenBSD, ipv6UDP, false), (.rawLinktype, ipv4UDP, true),
            (.ipv4, ipv4UDP, true), (.ipv6, ipv6UDP, false),
        ]
    }

    @Test func everyLinkTypeYieldsTheSameDatagram() throws {
        for (linkType, frame, isIPv4) in Self.framesOfEveryLinkType {
            var decoder = PacketDecoder()
            let decoded = decoder.decodeBytes(frame, linkType: linkType)
            let packet = try #require(decoded, "link type \(linkType.rawValue)")
            #expect(packet.source == IPAddress(isIPv4 ? "10.0.0.5" : "fd00:ec2::5"))
            #expect(packet.destination == IPAddress(isIPv4 ? "169.254.169.253" : "fd00:ec2::253"))
            #expect(packet.sourcePort == 40001 && packet.destinationPort == 53 && !packet.isTCP)
            #expect(packet.payload == [0xD5, 0x5D] && packet.payloadLength == 2)
            #expect(packet.frameLength == frame.count)
            #expect(decoder.anomalies == DecodeAnomalies())
            #expect(packet.tunnel == nil)
        }
    }

    @Test func recordMetadataIsCarried() throws {
        let frame = Build.ethernet(etherType: 0x0800, payload: Self.ipv4UDP)
        var decoder = PacketDecoder()
        try frame.withUnsafeBytes { raw in
            let record = PacketRecord(timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 5), ref: PacketRef(fileIndex: 2, number: 9),
                                      linkType: .ethernet, bytes: raw, originalLength: 1514)
            let packetDecoded = decoder.decode(record)
            let packet = try #require(packetDecoded)
            #expect(packet.timestamp == record.timestamp && packet.ref == record.ref && packet.frameLength == 1514)
            #expect(packet.transport.sourcePort == 40001)
        }
        // originalLength 1514 > captured: the frame was cut, yet its UDP payload was whole.
        #expect(decoder.anomalies.truncated == 0)
    }

    @Test func anomaliesAreCountedByReason() {
        var decoder = PacketDecoder()
        #expect(decoder.decodeBytes(Self.ipv4UDP, linkType: LinkType(rawValue: 147)) == nil)  // DLT_USER0
        #expect(decoder.decodeBytes(Build.ethernet(etherType: 0x0806, payload: [0, 1]), linkType: .ethernet) == nil)
        #expect(decoder.decodeBytes(Build.ipv4(proto: 1, payload: [8, 0, 0, 0]), linkType: .raw) == nil)  // ICMP
        #expect(decoder.decodeBytes(Build.ipv6(nextHeader: 58, payload: [128, 0, 0, 0]), linkType: .raw) == nil)
        #expect(decoder.decodeBytes(Build.ipv6(nextHeader: 50, payload: [0, 0, 0, 1]), linkType: .raw) == nil)
        #expect(decoder.decodeBytes(Build.ipv6(nextHeader: 59, payload: []), linkType: .raw) == nil)
        #expect(decoder.decodeBytes(Build.ipv4(proto: 17, payload: Self.udp, ihl: 3), linkType: .raw) == nil)
        #expect(decoder.decodeBytes([0x02, 0, 0, 0, 0, 1, 0x02], linkType: .ethernet) == nil)  // short, not cut
        #expect(decoder.decodeBytes([0x02, 0, 0, 0, 0, 1, 0x02], linkType: .ethernet, originalLength: 60) == nil)  // cut
        var expected = DecodeAnomalies()
        expected.unsupportedLinkType = 1
        expected.notIP = 1
        expected.otherTransport = 4
        expected.malformed = 2
        expected.truncated = 1
        #expect(decoder.anomalies == expected)
        #expect(decoder.anomalies.undecodable == 3)
    }

    @Test func everyPrefixOfAFrameDecodesOrCountsWithoutTrapping() {
        let options: [UInt8] = [2, 4, 5, 0xB4, 1, 1, 4, 2]
        let frame = Build.ethernet(etherType: 0x0800,
                                   payload: Build.ipv4(proto: 6, payload: Build.tcp(options: options, payload: [1, 2, 3, 4])))
        let headersEnd = 14 + 20 + 28
        for length in 0...frame.count {
            var cut = PacketDecoder()
            let decoded = cut.decodeBytes(Array(frame[0..<length]), originalLength: frame.count)
            if length >= headersEnd {
                #expect(decoded?.payload == Array(frame[headersEnd..<length]))
                #expect(decoded?.payloadLength == 4)
            } else {
                #expect(decoded == nil)
            }
            #expect(cut.anomalies.truncated == (length < frame.count ? 1 : 0), "cut at \(length)")
            #expect(cut.anomalies.malformed == 0)
            // The same bytes as a whole frame (not cut): never a trap; short headers are malformed.
            var whole = PacketDecoder()
            _ = whole.decodeBytes(Array(frame[0..<length]))
            #expect(whole.anomalies.malformed + whole.anomalies.truncated == (length < frame.count ? 1 : 0))
        }
    }

    // MARK: - Tunnels

    @Test func ipv4InIPv6AndIPv6InIPv4DecodeTheInnerPacket() throws {
        var decoder = PacketDecoder()
        let fourInSix = Build.ipv6(src: "2001:db8::a", dst: "2001:db8::b", nextHeader: 4, payload: Self.ipv4UDP)
        let inner4Decoded = decoder.decodeBytes(Build.ethernet(etherType: 0x86DD, payload: fourInSix), linkType: .ethernet)
        let inner4 = try #require(inner4Decoded)
        #expect(inner4.source == IPAddress("10.0.0.5") && inner4.destinationPort == 53)
        #expect(inner4.tunnel == TunnelEndpoints(source: try #require(IPAddress("2001:db8::a")),
                                                 destination: try #require(IPAddress("2001:db8::b"))))
        let sixInFour = Build.ipv4(src: "192.0.2.1", dst: "192.0.2.2", proto: 41, payload: Self.ipv6UDP)
        let inner6Decoded = decoder.decodeBytes(sixInFour, linkType: .raw)
        let inner6 = try #require(inner6Decoded)
        #expect(inner6.destination == IPAddress("fd00:ec2::253") && inner6.payload == [0xD5, 0x5D])
        // Two levels deep is followed; three is not.
        let twoDeep = Build.ipv4(proto: 41, payload: fourInSix)
        let twoDeepDecoded = decoder.decodeBytes(twoDeep, linkType: .raw)
        #expect(twoDeepDecoded?.source == IPAddress("10.0.0.5"))
        #expect(twoDeepDecoded?.tunnel?.source == IPAddress("192.0.2.1"))  // the outermost header
        let threeDeep = Build.ipv6(nextHeader: 4, payload: twoDeep)
        #expect(decoder.decodeBytes(threeDeep, linkType: .raw) == nil)
        #expect(decoder.anomalies.malformed == 1)
    }

    @Test func tcpFieldsReachTheDecodedPacket() throws {
        let options: [UInt8] = [2, 4, 0x05, 0x8C, 1, 3, 3, 8, 4, 2, 1, 1]
        let segment = Build.tcp(src: 49152, dst: 443, seq: 7, ack: 9, flags: 0x012, window: 26883, options: options)
        var decoder = PacketDecoder()
        let packetDecoded = decoder.decodeBytes(Build.ipv6(nextHeader: 6, payload: segment), linkType: .ipv6)
        let packet = try #require(packetDecoded)
        let tcp = try #require(packet.tcp)
        #expect(tcp.flags == [.syn, .ack] && tcp.sequenceNumber == 7 && tcp.acknowledgementNumber == 9)
        #expect(tcp.window == 26883 && tcp.options.mss == 1420 && tcp.options.windowScale == 8 && tcp.options.sackPermitted)
        #expect(packet.payload.isEmpty && packet.payloadLength == 0)
    }
}
