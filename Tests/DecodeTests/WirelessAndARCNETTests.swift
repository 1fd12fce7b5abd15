import Testing
import Capture
@testable import Decode

// 802.11 data frames (bare and behind radiotap) and ARCNET (RFC 1051 and RFC 1201 framing), built
// byte by byte from IEEE 802.11-2020 §9.2.4, radiotap.org and tcpdump's print-arcnet.c layouts.

@Suite struct WirelessAndARCNETTests {
    static let ieee80211 = LinkType(rawValue: 105)
    static let radiotap = LinkType(rawValue: 127)
    static let arcnetLinux = LinkType(rawValue: 129)
    static let arcnetBSD = LinkType(rawValue: 7)

    static let innerIPv4 = Build.ipv4(src: "172.17.156.76", dst: "192.0.2.53", proto: 17,
                                      payload: Build.udp(src: 61738, dst: 53, payload: [0xAB, 0xCD]))
    static let snapIPv4: [UInt8] = [0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x00]

    /// A data frame: frame control (type data, `subtype`), `flags`, duration, three addresses,
    /// sequence control, then address 4 / QoS / HT control as the flags say.
    static func dataFrame(subtype: UInt8 = 8, flags: UInt8 = 0x01, fragment: UInt8 = 0, qos: UInt8 = 0,
                          payload: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [subtype << 4 | 0x08, flags, 0x2C, 0x00]
        b += [UInt8](repeating: 0x11, count: 6) + [UInt8](repeating: 0x22, count: 6) + [UInt8](repeating: 0x33, count: 6)
        b += [0x10 | fragment, 0x05]
        if flags & 0x03 == 0x03 { b += [UInt8](repeating: 0x44, count: 6) }
        if subtype & 0x08 != 0 { b += [qos, 0] }
        if subtype & 0x08 != 0, flags & 0x80 != 0 { b += [0, 0, 0, 0] }
        return b + payload
    }

    func decode(_ bytes: [UInt8], _ linkType: LinkType) -> DecodedSummary? {
        var decoder = PacketDecoder()
        return decoder.decodeBytes(bytes, linkType: linkType)
    }

    @Test func qosAndPlainDataFramesCarryIP() {
        #expect(decode(Self.dataFrame(payload: Self.snapIPv4 + Self.innerIPv4), Self.ieee80211)?.destinationPort == 53)
        #expect(decode(Self.dataFrame(subtype: 0, flags: 0x02, payload: Self.snapIPv4 + Self.innerIPv4), Self.ieee80211)?
            .source == IPAddress("172.17.156.76"))
        // Four addresses (WDS) and HT control.
        #expect(decode(Self.dataFrame(flags: 0x83, payload: Self.snapIPv4 + Self.innerIPv4), Self.ieee80211)?
            .destination == IPAddress("192.0.2.53"))
        // 802.1H bridge-tunnel SNAP.
        let bridgeTunnel: [UInt8] = [0xAA, 0xAA, 0x03, 0, 0, 0xF8, 0x08, 0x00]
        #expect(decode(Self.dataFrame(payload: bridgeTunnel + Self.innerIPv4), Self.ieee80211) != nil)
    }

    @Test func framesWithoutReadableIPAreNotIP() {
        var decoder = PacketDecoder()
        let ip = Self.snapIPv4 + Self.innerIPv4
        #expect(decoder.decodeBytes(Self.dataFrame(flags: 0x41, payload: ip), linkType: Self.ieee80211) == nil)     // protected
        #expect(decoder.decodeBytes(Self.dataFrame(flags: 0x05, payload: ip), linkType: Self.ieee80211) == nil)     // more fragments
        #expect(decoder.decodeBytes(Self.dataFrame(fragment: 1, payload: ip), linkType: Self.ieee80211) == nil)     // later fragment
        #expect(decoder.decodeBytes(Self.dataFrame(subtype: 12, payload: []), linkType: Self.ieee80211) == nil)     // QoS null
        #expect(decoder.decodeBytes(Self.dataFrame(qos: 0x80, payload: ip), linkType: Self.ieee80211) == nil)       // A-MSDU
        var beacon = Self.dataFrame(payload: ip)
        beacon[0] = 0x80                                                                                            // management
        #expect(decoder.decodeBytes(beacon, linkType: Self.ieee80211) == nil)
        #expect(decoder.anomalies.notIP == 6 && decoder.anomalies.malformed == 0)
    }

    /// Radiotap: version 0, pad, length, present = TSFT | Flags, TSFT (8), Flags (1), then padding.
    static func radiotapHeader(flags: UInt8) -> [UInt8] {
        [0, 0, 18, 0, 0x03, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + [flags, 0]
    }

    @Test func radiotapIsSkippedAndItsDataPadHonoured() {
        let frame = Self.dataFrame(payload: Self.snapIPv4 + Self.innerIPv4)   // QoS: a 26-byte MAC header
        #expect(decode(Self.radiotapHeader(flags: 0x10) + frame, Self.radiotap)?.destinationPort == 53)  // FCS flag only
        // Data pad: the 26-byte header is padded to 28.
        var padded = Array(frame[0..<26]) + [0, 0] + Array(frame[26...])
        #expect(decode(Self.radiotapHeader(flags: 0x20) + padded, Self.radiotap)?.destinationPort == 53)
        padded = Self.radiotapHeader(flags: 0x20) + frame                            // the pad missing: SNAP misread
        #expect(decode(padded, Self.radiotap) == nil)
        // An extended present bitmap before the fields.
        let extended: [UInt8] = [0, 0, 16, 0, 0x02, 0, 0, 0x80, 0, 0, 0, 0, 0x10, 0, 0, 0]
        #expect(decode(extended + frame, Self.radiotap)?.source == IPAddress("172.17.156.76"))
    }

    @Test func everyStrictPrefixOfTheWirelessHeadersIsTruncated() {
        let headers = Self.radiotapHeader(flags: 0) + Self.dataFrame(flags: 0x83, payload: Self.snapIPv4)
        for (linkType, bytes) in [(Self.radiotap, headers), (Self.ieee80211, Array(headers[18...]))] {
            forEachStrictPrefix(of: bytes) { length, raw in
                guard case .invalid(.truncated(_, let available)) = LinkLayer.locateNetworkLayer(linkType: linkType, bytes: raw)
                else { Issue.record("prefix \(length) not truncated"); return }
                #expect(available == length)
            }
        }
        #expect(withRaw([0, 0, 4, 0, 0, 0, 0, 0]) { RadiotapHeader.locateNetworkLayer($0) } == .invalid(.malformed(.linkHeaderShort)))
    }

    @Test func arcnetOldAndNewFraming() {
        // Linux: source, destination, offset(2), protocol 240 (RFC 1051 IP), as tcpdump's arcnet trace.
        #expect(decode([0xBE, 0x50, 0xC6, 0x00, 0xF0] + Self.innerIPv4, Self.arcnetLinux)?.destinationPort == 53)
        // RFC 1201: protocol 212, split flag 0, sequence(2); an exception frame has 4 more bytes.
        #expect(decode([0xBE, 0x50, 0, 0, 212, 0, 0, 1] + Self.innerIPv4, Self.arcnetLinux) != nil)
        #expect(decode([0xBE, 0x50, 0, 0, 212, 0xFF, 0, 1, 0, 0, 0, 0] + Self.innerIPv4, Self.arcnetLinux) != nil)
        // BSD: no offset field.
        #expect(decode([0xBE, 0x50, 0xF0] + Self.innerIPv4, Self.arcnetBSD)?.source == IPAddress("172.17.156.76"))
        // ARP (241) and split fragments are not IP.
        #expect(decode([0xBE, 0x50, 0, 0, 241, 0, 1], Self.arcnetLinux) == nil)
        #expect(decode([0xBE, 0x50, 0, 0, 212, 3, 0, 1] + Self.innerIPv4, Self.arcnetLinux) == nil)
        let header: [UInt8] = [0xBE, 0x50, 0, 0, 212, 0xFF, 0, 1, 0, 0, 0, 0]
        forEachStrictPrefix(of: header) { length, raw in
            guard case .invalid(.truncated) = ARCNETHeader.locateNetworkLayer(raw, linux: true)
            else { Issue.record("prefix \(length) not truncated"); return }
        }
    }
}
