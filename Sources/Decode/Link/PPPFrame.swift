// MARK: - PPP frames inside PPPoE and PPTP's GRE

/// A PPP frame's start (RFC 1661 §2, RFC 1662 §3.1): optional address/control (0xFF 0x03), then the
/// Protocol field, two bytes or one when Protocol-Field-Compression (RFC 1661 §6.5) is in use.
public enum PPPFrame {
    /// PPP DLL protocol numbers for IP (IANA "PPP DLL Protocol Numbers").
    public static let ipv4: UInt16 = 0x0021
    public static let ipv6: UInt16 = 0x0057

    /// Reads the PPP header at `offset` in `bytes`. Returns where IP starts, `.notIP` for other
    /// protocols (LCP, CCP, compressed data, ...), `.invalid(.truncated)` when the bytes end inside
    /// the header. `addressAndControl`: the frame may start with 0xFF 0x03 (PPTP; never in PPPoE,
    /// RFC 2516 §7).
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer, at offset: Int,
                                          addressAndControl: Bool) -> LinkLayerResult {
        var position = offset
        guard position >= 0, position < bytes.count else {
            return .invalid(.truncated(needed: position &+ 1, available: bytes.count))
        }
        if addressAndControl, bytes[position] == 0xFF {                         // checked above
            guard position &+ 2 < bytes.count else {
                return .invalid(.truncated(needed: position &+ 3, available: bytes.count))
            }
            guard bytes[position &+ 1] == 0x03 else { return .notIP }            // control: UI frame
            position &+= 2
        }
        // An odd first byte is a compressed one-byte protocol (RFC 1661 §2: protocol numbers have
        // an even high byte and an odd low byte).
        let protocolNumber: UInt16
        if bytes[position] & 1 == 1 {                                           // position < count: checked above
            protocolNumber = UInt16(bytes[position])
            position &+= 1
        } else {
            guard position &+ 2 <= bytes.count else {
                return .invalid(.truncated(needed: position &+ 2, available: bytes.count))
            }
            protocolNumber = bytes.loadUnaligned(fromByteOffset: position, as: UInt16.self).bigEndian  // checked above
            position &+= 2
        }
        switch protocolNumber {
        case ipv4: return .network(.ipv4, offset: position)
        case ipv6: return .network(.ipv6, offset: position)
        default: return .notIP
        }
    }
}
