// MARK: - ARCNET (DLT_ARCNET 7, DLT_ARCNET_LINUX 129)

/// ARCNET frames as libpcap stores them (tcpdump print-arcnet.c): source(1) destination(1),
/// on Linux an offset(2), then the protocol ID; RFC 1201 framing adds split flag(1) and
/// sequence(2), and an exception frame 4 more bytes. RFC 1051 (old) framing has none of them.
public enum ARCNETHeader {
    public static let bsdLinkType: Int32 = 7
    public static let linuxLinkType: Int32 = 129

    /// ARCNET protocol IDs (RFC 1201 §3, RFC 1051, IANA "ARCNET Protocol Types").
    @usableFromInline static let ipv4RFC1201: UInt8 = 212
    @usableFromInline static let ipv6: UInt8 = 196
    @usableFromInline static let ipv4RFC1051: UInt8 = 240

    /// Reads the header of a frame of link type `linux` (DLT_ARCNET_LINUX) or BSD (DLT_ARCNET).
    /// Returns where IP starts, `.notIP` for other protocols (ARP, ...) and continuation fragments,
    /// `.invalid(.truncated)` when the bytes end inside the header.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer, linux: Bool) -> LinkLayerResult {
        let protocolOffset = linux ? 4 : 2
        guard bytes.count > protocolOffset else {
            return .invalid(.truncated(needed: protocolOffset &+ 1, available: bytes.count))
        }
        let protocolID = bytes[protocolOffset]  // checked above
        if protocolID == ipv4RFC1051 { return .network(.ipv4, offset: protocolOffset &+ 1) }
        guard protocolID == ipv4RFC1201 || protocolID == ipv6 else { return .notIP }
        // RFC 1201: split flag(1) sequence(2); flag 0xFF marks an exception frame (4 more bytes).
        let flagOffset = protocolOffset &+ 1
        guard flagOffset &+ 3 <= bytes.count else {
            return .invalid(.truncated(needed: flagOffset &+ 3, available: bytes.count))
        }
        var start = flagOffset &+ 3
        switch bytes[flagOffset] {  // checked above
        case 0: break
        case 0xFF: start &+= 4
        default: return .notIP      // one fragment of a split packet
        }
        guard start <= bytes.count else { return .invalid(.truncated(needed: start, available: bytes.count)) }
        return .network(protocolID == ipv6 ? .ipv6 : .ipv4, offset: start)
    }
}
