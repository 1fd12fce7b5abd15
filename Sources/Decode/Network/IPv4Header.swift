// MARK: - IPv4 header view (RFC 791 §3.1)

/// A checked view of an IPv4 packet. Built only by its failable init; afterwards no accessor can trap.
///
/// `packet` is trimmed to the total length (dropping Ethernet padding) or, when the snaplen cut the
/// packet, to the captured bytes (`isTruncated`).
public struct IPv4Header {
    /// The packet bytes: header and captured payload, without link padding.
    public let packet: UnsafeRawBufferPointer
    /// Header length in bytes (IHL × 4, 20...60).
    public let headerLength: Int
    /// Packet length the header claims (total length field, or the captured length when the field is 0,
    /// as TCP segmentation offload leaves it).
    public let totalLength: Int

    // RFC 791 §3.1 field offsets.
    @usableFromInline static let versionIHLOffset = 0
    @usableFromInline static let totalLengthOffset = 2
    @usableFromInline static let identificationOffset = 4
    @usableFromInline static let flagsFragmentOffset = 6
    @usableFromInline static let protocolOffset = 9
    @usableFromInline static let sourceOffset = 12
    @usableFromInline static let destinationOffset = 16
    public static let minimumLength = 20

    /// Checks version 4, IHL >= 5, IHL × 4 <= total length, and that the header itself was captured.
    /// Throws `.truncated` when `bytes` ends inside the header; `.malformed` for a bad version, IHL or
    /// total length. A total length beyond the captured bytes is accepted (see `isTruncated`).
    @inlinable @inline(__always)
    public init(_ bytes: UnsafeRawBufferPointer) throws(HeaderError) {
        guard bytes.count >= Self.minimumLength else {
            throw .truncated(needed: Self.minimumLength, available: bytes.count)
        }
        let versionIHL = bytes[Self.versionIHLOffset]  // checked above
        guard versionIHL >> 4 == 4 else { throw .malformed(.wrongIPVersion) }
        let headerLength = Int(versionIHL & 0x0F) &* 4
        guard headerLength >= Self.minimumLength else { throw .malformed(.ipv4HeaderLengthBelowMinimum) }
        guard bytes.count >= headerLength else { throw .truncated(needed: headerLength, available: bytes.count) }
        var totalLength = Int(bytes.loadUnaligned(fromByteOffset: Self.totalLengthOffset, as: UInt16.self).bigEndian)
        if totalLength == 0 { totalLength = bytes.count }  // TSO: the NIC fills the length in later.
        guard totalLength >= headerLength else { throw .malformed(.ipv4TotalLengthBelowHeader) }
        self.headerLength = headerLength
        self.totalLength = totalLength
        self.packet = UnsafeRawBufferPointer(rebasing: bytes[0..<min(totalLength, bytes.count)])
    }

    /// True when fewer bytes were captured than the total length claims.
    @inlinable public var isTruncated: Bool { packet.count < totalLength }

    /// Protocol field (IANA protocol numbers: 6 TCP, 17 UDP, 4 IPv4, 41 IPv6).
    @inlinable public var protocolNumber: UInt8 { packet[Self.protocolOffset] }  // checked in init

    @inlinable public var source: IPAddress {
        .v4(packet.loadUnaligned(fromByteOffset: Self.sourceOffset, as: UInt32.self).bigEndian)  // checked in init
    }

    @inlinable public var destination: IPAddress {
        .v4(packet.loadUnaligned(fromByteOffset: Self.destinationOffset, as: UInt32.self).bigEndian)  // checked in init
    }

    /// Identification field, shared by the fragments of one datagram.
    @inlinable public var identification: UInt16 {
        packet.loadUnaligned(fromByteOffset: Self.identificationOffset, as: UInt16.self).bigEndian  // checked in init
    }

    @inlinable var flagsAndFragmentOffset: UInt16 {
        packet.loadUnaligned(fromByteOffset: Self.flagsFragmentOffset, as: UInt16.self).bigEndian  // checked in init
    }

    /// MF flag: more fragments follow.
    @inlinable public var moreFragments: Bool { flagsAndFragmentOffset & 0x2000 != 0 }

    /// Fragment offset in bytes (the field counts 8-byte units).
    @inlinable public var fragmentOffset: Int { Int(flagsAndFragmentOffset & 0x1FFF) &* 8 }

    /// True when this packet is a fragment of a larger datagram.
    @inlinable public var isFragment: Bool { moreFragments || fragmentOffset != 0 }

    /// Captured payload after the header (options skipped by IHL).
    @inlinable public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: packet[headerLength...])  // headerLength <= packet.count, checked in init
    }

    /// Payload length the header claims.
    @inlinable public var claimedPayloadLength: Int { totalLength &- headerLength }
}
