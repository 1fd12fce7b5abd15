// MARK: - GRE (IP protocol 47): RFC 2784 / RFC 2890, PPTP's enhanced GRE (RFC 2637 §4.1), ERSPAN

/// Finds the IP packet a GRE packet carries: plain IP, Ethernet (transparent bridging, the ERSPAN
/// mirroring of switches), or PPP (PPTP).
public enum GREHeader {
    /// Flags and version (2), protocol type (2).
    public static let fixedLength = 4
    @usableFromInline static let checksumPresent: UInt16 = 0x8000   // C
    @usableFromInline static let routingPresent: UInt16 = 0x4000    // R (RFC 1701, deprecated)
    @usableFromInline static let keyPresent: UInt16 = 0x2000        // K (RFC 2890)
    @usableFromInline static let sequencePresent: UInt16 = 0x1000   // S (RFC 2890)
    @usableFromInline static let acknowledgmentPresent: UInt16 = 0x0080  // A (RFC 2637, version 1 only)
    @usableFromInline static let versionMask: UInt16 = 0x0007

    /// GRE protocol types (EtherTypes) ssmpath follows.
    public enum ProtocolType {
        public static let transparentEthernet: UInt16 = 0x6558
        public static let ppp: UInt16 = 0x880B
        /// ERSPAN type II (with a sequence number) or type I (without).
        public static let erspan: UInt16 = 0x88BE
        public static let erspanType3: UInt16 = 0x22EB
    }

    /// ERSPAN type II header (8 bytes) and type III header (12 bytes, plus an 8-byte platform
    /// subheader when its O bit is set).
    @usableFromInline static let erspanType2Length = 8
    @usableFromInline static let erspanType3Length = 12
    @usableFromInline static let erspanType3SubheaderLength = 8

    /// Reads the GRE header at the start of `bytes` and whatever header follows it up to IP.
    /// Returns `.network` with the offset of the inner IP packet in `bytes`, `.notIP` for GRE
    /// versions, flags or payloads ssmpath does not follow (keepalives, source routing, non-IP),
    /// `.invalid(.truncated)` when the bytes end inside a header.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer) -> LinkLayerResult {
        guard bytes.count >= fixedLength else { return .invalid(.truncated(needed: fixedLength, available: bytes.count)) }
        let flags = bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self).bigEndian          // checked above
        let protocolType = bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self).bigEndian   // checked above
        var length = fixedLength
        switch flags & versionMask {
        case 0:
            guard flags & routingPresent == 0 else { return .notIP }
            if flags & checksumPresent != 0 { length &+= 4 }   // checksum(2) reserved1(2)
            if flags & keyPresent != 0 { length &+= 4 }        // key(4)
            if flags & sequencePresent != 0 { length &+= 4 }   // sequence number(4)
        case 1:
            // Enhanced GRE: key present (payload length(2) call ID(2)), no checksum or routing.
            guard protocolType == ProtocolType.ppp, flags & keyPresent != 0,
                  flags & (checksumPresent | routingPresent) == 0 else { return .notIP }
            length &+= 4
            if flags & sequencePresent != 0 { length &+= 4 }
            if flags & acknowledgmentPresent != 0 { length &+= 4 }
        default:
            return .notIP
        }
        guard length <= bytes.count else { return .invalid(.truncated(needed: length, available: bytes.count)) }
        switch protocolType {
        case EtherType.ipv4: return .network(.ipv4, offset: length)
        case EtherType.ipv6: return .network(.ipv6, offset: length)
        case ProtocolType.transparentEthernet:
            return ethernet(bytes, at: length)
        case ProtocolType.ppp:
            return PPPFrame.locateNetworkLayer(bytes, at: length, addressAndControl: true)
        case ProtocolType.erspan:
            // Type II carries a sequence number in GRE; type I has neither it nor an ERSPAN header.
            let headerLength = flags & sequencePresent != 0 ? erspanType2Length : 0
            return ethernet(bytes, at: length &+ headerLength)
        case ProtocolType.erspanType3:
            let end = length &+ erspanType3Length
            guard end <= bytes.count else { return .invalid(.truncated(needed: end, available: bytes.count)) }
            let last = bytes[end &- 1]                                  // checked above
            // FT (frame type, 5 bits of byte 10-11): 0 is an Ethernet frame; O: a subheader follows.
            let frameType = (bytes.loadUnaligned(fromByteOffset: end &- 2, as: UInt16.self).bigEndian >> 10) & 0x1F  // checked above
            guard frameType == 0 else { return .notIP }
            return ethernet(bytes, at: last & 1 == 1 ? end &+ erspanType3SubheaderLength : end)
        default:
            return .notIP
        }
    }

    /// The Ethernet frame at `offset`, its result shifted into `bytes`' offsets.
    @inlinable
    static func ethernet(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> LinkLayerResult {
        guard offset >= 0, offset <= bytes.count else {
            return .invalid(.truncated(needed: offset, available: bytes.count))
        }
        let frame = UnsafeRawBufferPointer(rebasing: bytes[offset...])  // checked above
        switch EthernetHeader.locateNetworkLayer(frame) {
        case .network(let networkProtocol, let inner): return .network(networkProtocol, offset: offset &+ inner)
        case .invalid(.truncated(let needed, _)): return .invalid(.truncated(needed: offset &+ needed, available: bytes.count))
        case let other: return other
        }
    }
}
