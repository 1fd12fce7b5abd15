import Capture

// MARK: - Where the network layer starts

/// The network-layer protocol a link header announces.
public enum NetworkProtocol: Hashable, Sendable {
    case ipv4
    case ipv6
}

/// What the link layer of a frame says about its contents.
public enum LinkLayerResult: Hashable, Sendable {
    /// An IP packet of `protocol` starts at `offset`.
    case network(NetworkProtocol, offset: Int)
    /// The frame carries something other than IP (ARP, LLDP, ...).
    case notIP
    /// The link type is not one ssmpath decodes.
    case unsupportedLinkType
    /// The link header could not be read.
    case invalid(HeaderError)
}

/// Finds the network layer in a frame of any supported link type.
public enum LinkLayer {
    /// Reads the link header of `bytes` for `linkType`.
    /// Returns `.invalid(.truncated)` when the bytes end inside the link header.
    @inlinable
    public static func locateNetworkLayer(linkType: LinkType, bytes: UnsafeRawBufferPointer) -> LinkLayerResult {
        // Ethernet first and by value: `LinkType.ethernet` is a global of the Capture module, read
        // through an accessor call, and nearly every frame is Ethernet.
        if linkType.rawValue == 1 { return EthernetHeader.locateNetworkLayer(bytes) }  // DLT_EN10MB
        switch linkType.rawValue {
        case LinkType.ethernet.rawValue:
            return EthernetHeader.locateNetworkLayer(bytes)
        case LinkType.linuxSLL.rawValue:
            return LinuxCookedHeader.locateNetworkLayer(bytes)
        case LinkType.linuxSLL2.rawValue:
            return LinuxCooked2Header.locateNetworkLayer(bytes)
        case LinkType.null.rawValue:
            return NullLoopbackHeader.locateNetworkLayer(bytes, byteOrder: .host)
        case LinkType.loop.rawValue:
            return NullLoopbackHeader.locateNetworkLayer(bytes, byteOrder: .network)
        case LinkType.raw.rawValue, LinkType.rawOpenBSD.rawValue, LinkType.rawLinktype.rawValue:
            return rawIP(bytes, offset: 0)
        case LinkType.ipv4.rawValue:
            return .network(.ipv4, offset: 0)
        case LinkType.ipv6.rawValue:
            return .network(.ipv6, offset: 0)
        case WirelessLinkType.ieee80211:
            return IEEE80211Header.locateNetworkLayer(bytes)
        case WirelessLinkType.radiotap:
            return RadiotapHeader.locateNetworkLayer(bytes)
        case ARCNETHeader.linuxLinkType:
            return ARCNETHeader.locateNetworkLayer(bytes, linux: true)
        case ARCNETHeader.bsdLinkType:
            return ARCNETHeader.locateNetworkLayer(bytes, linux: false)
        default:
            return .unsupportedLinkType
        }
    }

    /// Raw IP: the version nibble of the first byte decides between IPv4 and IPv6.
    @inlinable
    static func rawIP(_ bytes: UnsafeRawBufferPointer, offset: Int) -> LinkLayerResult {
        guard offset >= 0, offset < bytes.count else {
            return .invalid(.truncated(needed: offset &+ 1, available: bytes.count))
        }
        switch bytes[offset] >> 4 {  // checked above
        case 4: return .network(.ipv4, offset: offset)
        case 6: return .network(.ipv6, offset: offset)
        default: return .notIP
        }
    }

    /// Where IP starts in the payload of EtherType `etherType` at `offset`: right there for IPv4 and
    /// IPv6, after the PPPoE and PPP headers for a PPPoE session frame.
    @inlinable
    static func payloadResult(_ bytes: UnsafeRawBufferPointer, etherType: UInt16, offset: Int) -> LinkLayerResult {
        if etherType == EtherType.pppoeSession { return PPPoEHeader.locateNetworkLayer(bytes, at: offset) }
        return etherTypeResult(etherType, offset: offset)
    }

    /// Maps an EtherType (IEEE 802.3 §3.2.6) to the network protocol it carries.
    @inlinable
    static func etherTypeResult(_ etherType: UInt16, offset: Int) -> LinkLayerResult {
        switch etherType {
        case EtherType.ipv4: .network(.ipv4, offset: offset)
        case EtherType.ipv6: .network(.ipv6, offset: offset)
        default: .notIP
        }
    }
}

/// EtherType values ssmpath reads (IANA "IEEE 802 Numbers").
public enum EtherType {
    public static let ipv4: UInt16 = 0x0800
    public static let ipv6: UInt16 = 0x86DD
    /// IEEE 802.1Q customer VLAN tag.
    public static let vlan: UInt16 = 0x8100
    /// IEEE 802.1ad service VLAN tag (QinQ).
    public static let serviceVLAN: UInt16 = 0x88A8
    /// Pre-standard QinQ tag used by some switches.
    public static let legacyQinQ: UInt16 = 0x9100
    /// PPPoE session stage (RFC 2516), carrying PPP.
    public static let pppoeSession: UInt16 = 0x8864

    /// True for the tag protocol identifiers of 802.1Q / 802.1ad / legacy QinQ.
    @inlinable
    public static func isVLANTag(_ value: UInt16) -> Bool {
        value == vlan || value == serviceVLAN || value == legacyQinQ
    }
}

// MARK: - VLAN tags

/// Stacked 802.1Q / 802.1ad tags after an EtherType field.
public enum VLANTags {
    /// Most tags followed; a deeper stack is malformed.
    public static let maxDepth = 4

    /// Skips VLAN tags starting at the EtherType field at `etherTypeOffset`; returns the link result
    /// for the innermost EtherType, whose payload follows it. `tagsSeen` counts tags already skipped.
    @inlinable @inline(__always)
    static func resolve(_ bytes: UnsafeRawBufferPointer, etherTypeOffset: Int, tagsSeen: Int = 0) -> LinkLayerResult {
        var typeOffset = etherTypeOffset
        var depth = tagsSeen
        while true {
            guard typeOffset >= 0, bytes.count >= 2, typeOffset <= bytes.count &- 2 else {
                return .invalid(.truncated(needed: typeOffset &+ 2, available: bytes.count))
            }
            let etherType = bytes.loadUnaligned(fromByteOffset: typeOffset, as: UInt16.self).bigEndian  // checked above
            guard EtherType.isVLANTag(etherType) else {
                return LinkLayer.payloadResult(bytes, etherType: etherType, offset: typeOffset &+ 2)
            }
            depth &+= 1
            guard depth <= maxDepth else { return .invalid(.malformed(.vlanStackTooDeep)) }
            // Tag: TPID (2, the field just read), TCI (2), then the next EtherType.
            typeOffset &+= 4
        }
    }
}
