// MARK: - IPv6 fixed header view (RFC 8200 §3)

/// A checked view of an IPv6 packet's fixed header. Built only by its failable init.
///
/// `packet` is trimmed to 40 + payload length (dropping link padding) or, when the snaplen cut the
/// packet, to the captured bytes (`isTruncated`).
public struct IPv6Header {
    /// The packet bytes: fixed header and captured payload, without link padding.
    public let packet: UnsafeRawBufferPointer
    /// Payload length the header claims (everything after the fixed header, extension headers included).
    public let claimedPayloadLength: Int

    // RFC 8200 §3 field offsets.
    @usableFromInline static let payloadLengthOffset = 4
    @usableFromInline static let nextHeaderOffset = 6
    @usableFromInline static let sourceOffset = 8
    @usableFromInline static let destinationOffset = 24
    public static let length = 40

    /// Checks version 6 and that the fixed header was captured.
    /// Throws `.truncated` when `bytes` is shorter than 40, `.malformed(.wrongIPVersion)` for another version.
    /// A payload length of 0 (jumbogram or segmentation offload) is taken as "the captured bytes".
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) throws(HeaderError) {
        guard bytes.count >= Self.length else { throw .truncated(needed: Self.length, available: bytes.count) }
        guard bytes[0] >> 4 == 6 else { throw .malformed(.wrongIPVersion) }  // checked above
        var payloadLength = Int(bytes.loadUnaligned(fromByteOffset: Self.payloadLengthOffset, as: UInt16.self).bigEndian)
        if payloadLength == 0 { payloadLength = bytes.count &- Self.length }
        self.claimedPayloadLength = payloadLength
        self.packet = UnsafeRawBufferPointer(rebasing: bytes[0..<min(Self.length &+ payloadLength, bytes.count)])
    }

    /// True when fewer bytes were captured than the payload length claims.
    @inlinable public var isTruncated: Bool { packet.count &- Self.length < claimedPayloadLength }

    /// Next header of the fixed header (first extension header or the transport protocol).
    @inlinable public var nextHeader: UInt8 { packet[Self.nextHeaderOffset] }  // checked in init

    @inlinable public var source: IPAddress {
        // checked in init
        .v6(high: packet.loadUnaligned(fromByteOffset: Self.sourceOffset, as: UInt64.self).bigEndian,
            low: packet.loadUnaligned(fromByteOffset: Self.sourceOffset &+ 8, as: UInt64.self).bigEndian)
    }

    @inlinable public var destination: IPAddress {
        // checked in init
        .v6(high: packet.loadUnaligned(fromByteOffset: Self.destinationOffset, as: UInt64.self).bigEndian,
            low: packet.loadUnaligned(fromByteOffset: Self.destinationOffset &+ 8, as: UInt64.self).bigEndian)
    }

    /// Captured bytes after the fixed header.
    @inlinable public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: packet[Self.length...])  // packet.count >= 40, checked in init
    }
}
