// MARK: - IPv6 extension header chain (RFC 8200 §4)

/// IANA protocol numbers that appear as IPv6 next headers or IPv4 protocols.
public enum IPProtocolNumber {
    public static let hopByHop: UInt8 = 0
    public static let ipv4: UInt8 = 4
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    public static let ipv6: UInt8 = 41
    public static let routing: UInt8 = 43
    public static let fragment: UInt8 = 44
    /// Generic Routing Encapsulation (RFC 2784).
    public static let gre: UInt8 = 47
    public static let esp: UInt8 = 50
    public static let authentication: UInt8 = 51
    public static let noNextHeader: UInt8 = 59
    public static let destinationOptions: UInt8 = 60
}

/// The fields of an IPv6 fragment header (RFC 8200 §4.5) or of IPv4 fragmentation (RFC 791).
public struct FragmentInfo: Hashable, Sendable {
    /// Offset of this fragment's data in the reassembled datagram, in bytes.
    public var offset: Int
    /// More fragments follow.
    public var moreFragments: Bool
    /// Datagram identification.
    public var identification: UInt32
    /// Protocol of the reassembled datagram's data.
    public var protocolNumber: UInt8

    @inlinable
    public init(offset: Int, moreFragments: Bool, identification: UInt32, protocolNumber: UInt8) {
        self.offset = offset; self.moreFragments = moreFragments
        self.identification = identification; self.protocolNumber = protocolNumber
    }
}

/// Where an IPv6 extension header chain ends.
public enum IPv6ChainEnd: Hashable, Sendable {
    /// An upper-layer protocol (TCP, UDP, ICMPv6, IP-in-IPv6, ESP, no next header, ...) starts at `offset`.
    case upperLayer(protocolNumber: UInt8, offset: Int)
    /// A fragment header; the fragment's data starts at `dataOffset`.
    case fragment(FragmentInfo, dataOffset: Int)
}

/// Walks the extension headers after the IPv6 fixed header.
public enum IPv6ExtensionChain {
    /// Most extension headers followed; a longer chain is malformed.
    public static let maxHeaders = 8
    /// Size of the fragment header.
    public static let fragmentHeaderLength = 8

    /// Walks `bytes` (the captured bytes after the fixed header, or a reassembled fragmentable part),
    /// starting from `nextHeader`, through hop-by-hop, routing, destination options, AH and fragment
    /// headers. `claimedLength` is the length the IPv6 header claims for `bytes`.
    /// Throws `.truncated` when a header runs past the captured bytes but not past `claimedLength`,
    /// `.malformed` when it runs past `claimedLength` or the chain is too long.
    @inlinable
    public static func walk(_ bytes: UnsafeRawBufferPointer, claimedLength: Int, nextHeader first: UInt8)
        throws(HeaderError) -> IPv6ChainEnd
    {
        var nextHeader = first
        var offset = 0
        var headers = 0
        while true {
            let headerLength: Int
            switch nextHeader {
            case IPProtocolNumber.hopByHop, IPProtocolNumber.routing, IPProtocolNumber.destinationOptions:
                // Next header (1), Hdr Ext Len (1, 8-octet units not counting the first 8).
                try requireBytes(offset &+ 2, bytes.count, claimedLength)
                headerLength = (Int(bytes[offset &+ 1]) &+ 1) &* 8  // checked above
            case IPProtocolNumber.authentication:
                // RFC 4302 §2.2: Payload Len counts 4-octet units minus 2.
                try requireBytes(offset &+ 2, bytes.count, claimedLength)
                headerLength = (Int(bytes[offset &+ 1]) &+ 2) &* 4  // checked above
            case IPProtocolNumber.fragment:
                try requireBytes(offset &+ fragmentHeaderLength, bytes.count, claimedLength)
                // RFC 8200 §4.5: Next Header (1), Reserved (1), Offset(13) Res(2) M(1), Identification (4).
                let protocolNumber = bytes[offset]  // checked above
                let offsetFlags = bytes.loadUnaligned(fromByteOffset: offset &+ 2, as: UInt16.self).bigEndian
                let identification = bytes.loadUnaligned(fromByteOffset: offset &+ 4, as: UInt32.self).bigEndian
                let info = FragmentInfo(offset: Int(offsetFlags >> 3) &* 8, moreFragments: offsetFlags & 1 != 0,
                                        identification: identification, protocolNumber: protocolNumber)
                let dataOffset = offset &+ fragmentHeaderLength
                if info.offset == 0, !info.moreFragments {
                    // RFC 6946 atomic fragment: the whole datagram is here; keep walking.
                    nextHeader = protocolNumber
                    offset = dataOffset
                    headers &+= 1
                    guard headers <= maxHeaders else { throw .malformed(.ipv6ExtensionChainTooLong) }
                    continue
                }
                return .fragment(info, dataOffset: dataOffset)
            default:
                return .upperLayer(protocolNumber: nextHeader, offset: offset)
            }
            try requireBytes(offset &+ headerLength, bytes.count, claimedLength)
            nextHeader = bytes[offset]  // checked above
            offset &+= headerLength
            headers &+= 1
            guard headers <= maxHeaders else { throw .malformed(.ipv6ExtensionChainTooLong) }
        }
    }

    @inlinable
    static func requireBytes(_ needed: Int, _ available: Int, _ claimed: Int) throws(HeaderError) {
        if needed > claimed { throw .malformed(.ipv6ExtensionPastPayload) }
        if needed > available { throw .truncated(needed: needed, available: available) }
    }
}
