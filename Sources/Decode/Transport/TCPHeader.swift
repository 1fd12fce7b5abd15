// MARK: - TCP header view (RFC 9293 §3.1)

/// A checked view of a TCP segment. Built only by its failable init; afterwards no accessor can trap.
public struct TCPHeader {
    /// The segment bytes that were captured: header, options, payload.
    public let segment: UnsafeRawBufferPointer
    /// Header length in bytes (data offset × 4, 20...60).
    public let headerLength: Int

    // RFC 9293 §3.1 field offsets.
    @usableFromInline static let sourcePortOffset = 0
    @usableFromInline static let destinationPortOffset = 2
    @usableFromInline static let sequenceOffset = 4
    @usableFromInline static let acknowledgementOffset = 8
    @usableFromInline static let dataOffsetFlagsOffset = 12
    @usableFromInline static let windowOffset = 14
    public static let minimumLength = 20

    /// Checks data offset >= 5 and that header and options were captured.
    /// Throws `.truncated` when `bytes` ends inside the header or its options (the caller decides whether
    /// that is a snaplen cut or a data offset past the segment), `.malformed` for a data offset below 5.
    @inlinable @inline(__always)
    public init(_ bytes: UnsafeRawBufferPointer) throws(HeaderError) {
        guard bytes.count >= Self.minimumLength else {
            throw .truncated(needed: Self.minimumLength, available: bytes.count)
        }
        let headerLength = Int(bytes[Self.dataOffsetFlagsOffset] >> 4) &* 4  // checked above
        guard headerLength >= Self.minimumLength else { throw .malformed(.tcpDataOffsetBelowMinimum) }
        guard headerLength <= bytes.count else { throw .truncated(needed: headerLength, available: bytes.count) }
        self.segment = bytes
        self.headerLength = headerLength
    }

    @inlinable public var sourcePort: UInt16 {
        segment.loadUnaligned(fromByteOffset: Self.sourcePortOffset, as: UInt16.self).bigEndian  // checked in init
    }
    @inlinable public var destinationPort: UInt16 {
        segment.loadUnaligned(fromByteOffset: Self.destinationPortOffset, as: UInt16.self).bigEndian  // checked in init
    }
    @inlinable public var sequenceNumber: UInt32 {
        segment.loadUnaligned(fromByteOffset: Self.sequenceOffset, as: UInt32.self).bigEndian  // checked in init
    }
    @inlinable public var acknowledgementNumber: UInt32 {
        segment.loadUnaligned(fromByteOffset: Self.acknowledgementOffset, as: UInt32.self).bigEndian  // checked in init
    }
    /// The 8 flag bits (CWR ... FIN) and the AE/NS bit (RFC 3540) as bit 8.
    @inlinable public var flags: TCPFlags {
        let word = segment.loadUnaligned(fromByteOffset: Self.dataOffsetFlagsOffset, as: UInt16.self).bigEndian  // checked in init
        return TCPFlags(rawValue: word & 0x01FF)
    }
    @inlinable public var window: UInt16 {
        segment.loadUnaligned(fromByteOffset: Self.windowOffset, as: UInt16.self).bigEndian  // checked in init
    }
    /// The options area (between the fixed header and the data).
    @inlinable public var optionBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: segment[Self.minimumLength..<headerLength])  // checked in init
    }
    /// Captured payload after header and options.
    @inlinable public var payload: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: segment[headerLength...])  // checked in init
    }

    /// The parsed options, and whether the option list was malformed (parsing stopped there).
    @inlinable public var options: (options: TCPOptions, malformed: Bool) {
        TCPOptionParser.parse(optionBytes)
    }

    /// The fields flow tracking needs, with the options parsed.
    @inlinable @inline(__always)
    public func fields(options: TCPOptions) -> TCPHeaderFields {
        TCPHeaderFields(sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequenceNumber,
                        acknowledgementNumber: acknowledgementNumber, flags: flags, window: window, options: options)
    }
}
