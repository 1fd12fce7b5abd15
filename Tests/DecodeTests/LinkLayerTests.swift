import Testing
import Capture
@testable import Decode

// MARK: - Link headers: Ethernet + VLAN stacks, SLL, SLL2, NULL, LOOP, raw IP

@Suite struct LinkLayerTests {
    static let ipv4Byte: [UInt8] = [0x45]

    func locate(_ linkType: LinkType, _ bytes: [UInt8]) -> LinkLayerResult {
        withRaw(bytes) { LinkLayer.locateNetworkLayer(linkType: linkType, bytes: $0) }
    }

    @Test func ethernetIPv4IPv6AndOtherEtherTypes() {
        #expect(locate(.ethernet, Build.ethernet(etherType: 0x0800, payload: Self.ipv4Byte)) == .network(.ipv4, offset: 14))
        #expect(locate(.ethernet, Build.ethernet(etherType: 0x86DD, payload: [0x60])) == .network(.ipv6, offset: 14))
        #expect(locate(.ethernet, Build.ethernet(etherType: 0x0806, payload: [0])) == .notIP)  // ARP
        #expect(locate(.ethernet, Build.ethernet(etherType: 0x88CC, payload: [0])) == .notIP)  // LLDP
        #expect(locate(.ethernet, Build.ethernet(etherType: 0x0040, payload: [0])) == .notIP)  // 802.3 length
    }

    @Test func vlanStacks() {
        let single = Build.ethernet(etherType: 0x0800, tags: [(0x8100, 10)], payload: Self.ipv4Byte)
        #expect(locate(.ethernet, single) == .network(.ipv4, offset: 18))
        let qinq = Build.ethernet(etherType: 0x86DD, tags: [(0x88A8, 100), (0x8100, 20)], payload: [0x60])
        #expect(locate(.ethernet, qinq) == .network(.ipv6, offset: 22))
        let legacy = Build.ethernet(etherType: 0x0800, tags: [(0x9100, 100), (0x8100, 20)], payload: Self.ipv4Byte)
        #expect(locate(.ethernet, legacy) == .network(.ipv4, offset: 22))
        let four = Build.ethernet(etherType: 0x0800, tags: Array(repeating: (0x8100, 1), count: 4), payload: Self.ipv4Byte)
        #expect(locate(.ethernet, four) == .network(.ipv4, offset: 30))
        let five = Build.ethernet(etherType: 0x0800, tags: Array(repeating: (0x8100, 1), count: 5), payload: Self.ipv4Byte)
        #expect(locate(.ethernet, five) == .invalid(.malformed(.vlanStackTooDeep)))
        let tagOverARP = Build.ethernet(etherType: 0x0806, tags: [(0x8100, 10)], payload: [0])
        #expect(locate(.ethernet, tagOverARP) == .notIP)
    }

    @Test func everyStrictPrefixOfATaggedEthernetHeaderIsTruncated() {
        let header = Build.ethernet(etherType: 0x0800, tags: [(0x88A8, 100), (0x8100, 20)], payload: [])
        forEachStrictPrefix(of: header) { length, raw in
            guard case .invalid(.truncated(_, let available)) = LinkLayer.locateNetworkLayer(linkType: .ethernet, bytes: raw)
            else { Issue.record("prefix \(length) not truncated"); return }
            #expect(available == length)
        }
    }

    static func sll(protocolType: UInt16) -> [UInt8] {
        // packet type (outgoing 4), ARPHRD_ETHER 1, address length 6, address (8), protocol type
        Build.be16(4) + Build.be16(1) + Build.be16(6) + [2, 0, 0, 0, 0, 1, 0, 0] + Build.be16(protocolType)
    }

    static func sll2(protocolType: UInt16) -> [UInt8] {
        // protocol type, reserved, interface index, ARPHRD_ETHER, packet type, address length, address (8)
        Build.be16(protocolType) + [0, 0] + Build.be32(3) + Build.be16(1) + [4, 6] + [2, 0, 0, 0, 0, 1, 0, 0]
    }

    @Test func linuxCookedV1AndV2() {
        #expect(locate(.linuxSLL, Self.sll(protocolType: 0x0800) + Self.ipv4Byte) == .network(.ipv4, offset: 16))
        #expect(locate(.linuxSLL, Self.sll(protocolType: 0x86DD) + [0x60]) == .network(.ipv6, offset: 16))
        #expect(locate(.linuxSLL, Self.sll(protocolType: 0x0806)) == .notIP)
        #expect(locate(.linuxSLL, Self.sll(protocolType: 0x8100) + Build.be16(10) + Build.be16(0x0800))
                == .network(.ipv4, offset: 20))
        #expect(locate(.linuxSLL2, Self.sll2(protocolType: 0x0800) + Self.ipv4Byte) == .network(.ipv4, offset: 20))
        #expect(locate(.linuxSLL2, Self.sll2(protocolType: 0x86DD) + [0x60]) == .network(.ipv6, offset: 20))
        #expect(locate(.linuxSLL2, Self.sll2(protocolType: 0x0806)) == .notIP)
        #expect(locate(.linuxSLL2, Self.sll2(protocolType: 0x8100) + Build.be16(10) + Build.be16(0x86DD))
                == .network(.ipv6, offset: 24))
        let fiveTags = Self.sll2(protocolType: 0x8100) + (0..<4).flatMap { _ in Build.be16(1) + Build.be16(0x8100) }
            + Build.be16(1) + Build.be16(0x0800)
        #expect(locate(.linuxSLL2, fiveTags) == .invalid(.malformed(.vlanStackTooDeep)))
        for (type, header) in [(LinkType.linuxSLL, Self.sll(protocolType: 0x0800)),
                               (LinkType.linuxSLL2, Self.sll2(protocolType: 0x0800))] {
            forEachStrictPrefix(of: header) { length, raw in
                #expect(LinkLayer.locateNetworkLayer(linkType: type, bytes: raw)
                        == .invalid(.truncated(needed: header.count, available: length)))
            }
        }
    }

    @Test func bsdNullInBothByteOrdersAndLoop() {
        func le(_ v: UInt32) -> [UInt8] { Build.be32(v).reversed() }
        #expect(locate(.null, le(2) + Self.ipv4Byte) == .network(.ipv4, offset: 4))
        #expect(locate(.null, Build.be32(2) + Self.ipv4Byte) == .network(.ipv4, offset: 4))
        for family: UInt32 in [24, 28, 30, 10] {
            #expect(locate(.null, le(family) + [0x60]) == .network(.ipv6, offset: 4))
            #expect(locate(.null, Build.be32(family) + [0x60]) == .network(.ipv6, offset: 4))
        }
        #expect(locate(.null, le(7)) == .notIP)
        #expect(locate(.loop, Build.be32(2) + Self.ipv4Byte) == .network(.ipv4, offset: 4))
        #expect(locate(.loop, Build.be32(30) + [0x60]) == .network(.ipv6, offset: 4))
        // LOOP is network order only: a little-endian 2 is not AF_INET.
        #expect(locate(.loop, le(2)) == .notIP)
        forEachStrictPrefix(of: le(2)) { length, raw in
            #expect(LinkLayer.locateNetworkLayer(linkType: .null, bytes: raw) == .invalid(.truncated(needed: 4, available: length)))
            #expect(LinkLayer.locateNetworkLayer(linkType: .loop, bytes: raw) == .invalid(.truncated(needed: 4, available: length)))
        }
    }

    @Test(arguments: [LinkType.raw, .rawOpenBSD, .rawLinktype])
    func rawIPVersionNibbleDecides(linkType: LinkType) {
        #expect(locate(linkType, [0x45]) == .network(.ipv4, offset: 0))
        #expect(locate(linkType, [0x60]) == .network(.ipv6, offset: 0))
        #expect(locate(linkType, [0x50]) == .notIP)
        #expect(locate(linkType, []) == .invalid(.truncated(needed: 1, available: 0)))
    }

    @Test func fixedFamilyRawTypesAndUnsupportedTypes() {
        #expect(locate(.ipv4, [0x45]) == .network(.ipv4, offset: 0))
        #expect(locate(.ipv6, [0x60]) == .network(.ipv6, offset: 0))
        #expect(locate(LinkType(rawValue: 147), [0x45]) == .unsupportedLinkType)  // DLT_USER0
        #expect(locate(LinkType(rawValue: 9), [0x45]) == .unsupportedLinkType)    // DLT_PPP (no capture needed it yet)
        // 802.11 and ARCNET are decoded now (WirelessAndARCNETTests): one byte is a cut header.
        #expect(locate(LinkType(rawValue: 105), [0x45]) == .invalid(.truncated(needed: 24, available: 1)))
        #expect(locate(LinkType(rawValue: 129), [0x45]) == .invalid(.truncated(needed: 5, available: 1)))
    }
}
