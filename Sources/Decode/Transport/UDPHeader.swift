// MARK: - UDP header view (RFC 768)

/// A checked view of a UDP datagram. Built only by its failable init; afterwards no accessor can trap.
public struct UDPHeader {
    /// Header and the captured payload, trimmed to the UDP length.
    public let datagram: UnsafeRawBufferPointer
    /// Length field: header plus payload as the sender claims.
    public let length: Int

    @usableFromInline static let sourcePortOffset = 0
    @usableFromInline static let destinationPortOffset = 2
    @usableFromInline static let lengthOffset = 4
    public static let headerLength = 8

    /// Checks that the 8-byte header was captured and its length field is at least 8.
    /// Throws `.truncated` when `bytes` is shorter than 8, `.malformed(.udpLengthBelowHeader)` for a length below 8.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) throws(HeaderError) {
        guard bytes.count >= Self.headerLength else {
            throw .truncated(needed: Self.headerLength, available: bytes.count)
        }
        let length = Int(bytes.loadUnaligned(fromByteOffset: Self.lengthOffset, as: UInt16.self).bigEndian)  // checked above
        guard length >= Self.headerLength else { throw .malformed(.udpLengthBelowHeader) }
        self.length = length
        self.datagram = UnsafeRawBufferPointer(rebasing: bytes[0..<min(length, bytes.count)])
    }

    @inlinable public var sourcePort: UInt16 {
        datagram.loadUnaligned(fromByteOffset: Self.sourcePortOffset, as: UInt16.self).bigEndian  // checked in init
    }
    @inlinable public var destinationPort: UInt16 {
        datagram.loadUnaligned(fromByteOffset: Self.destinationPortOffset, as: UInt16.self).bigEndian  // checked in init
    }
    /// Captured payload: min(length - 8, captured bytes after the header).
    @inlinable public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: datagram[Self.headerLength...])  // checked in init
    }
    /// Payload length the length field claims.
    @inlinable public var claimedPayloadLength: Int { length &- Self.headerLength }
}
