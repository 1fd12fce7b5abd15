// MARK: - PPPoE session stage (RFC 2516 §4), EtherType 0x8864

/// PPPoE session header: VER(4 bits) = 1, TYPE(4 bits) = 1, CODE(1) = 0x00, SESSION_ID(2),
/// LENGTH(2), then the PPP frame (Protocol field and payload) without address/control.
public enum PPPoEHeader {
    /// VER, TYPE, CODE, SESSION_ID, LENGTH.
    public static let length = 6
    /// VER = 1, TYPE = 1 (RFC 2516 §4).
    public static let versionAndType: UInt8 = 0x11
    /// CODE of session data.
    public static let sessionDataCode: UInt8 = 0x00

    /// Reads the PPPoE header that starts at `offset` (just after the EtherType). Returns where IP
    /// starts, `.notIP` for a PPPoE version or code other than session data or PPP protocols other
    /// than IP, `.invalid(.truncated)` when the bytes end inside the PPPoE or PPP header.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> LinkLayerResult {
        guard offset >= 0, bytes.count >= length, offset <= bytes.count &- length else {
            return .invalid(.truncated(needed: offset &+ length, available: bytes.count))
        }
        // checked above
        guard bytes[offset] == versionAndType, bytes[offset &+ 1] == sessionDataCode else { return .notIP }
        return PPPFrame.locateNetworkLayer(bytes, at: offset &+ length, addressAndControl: false)
    }
}
