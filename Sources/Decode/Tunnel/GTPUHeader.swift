// MARK: - GTP-U (3GPP TS 29.281 §5), UDP port 2152

/// The user-plane tunnel of mobile networks: a G-PDU carries the subscriber's IP packet.
public enum GTPUHeader {
    /// UDP port of GTP-U (TS 29.281 §4.4.2).
    public static let udpPort: UInt16 = 2152
    /// Flags(1) message type(1) length(2) TEID(4).
    public static let mandatoryLength = 8
    /// Sequence number(2) N-PDU number(1) next extension header type(1), present when E, S or PN is set.
    @usableFromInline static let optionalLength = 4
    /// G-PDU: the message type that carries a user packet.
    @usableFromInline static let gpduType: UInt8 = 0xFF
    /// Extension headers followed at most.
    public static let maxExtensionHeaders = 8

    /// Reads a GTP-U header at the start of `bytes`. Returns `.network` with the inner IP packet's
    /// offset for a version-1 G-PDU carrying IPv4 or IPv6; `.notIP` for anything else (signalling
    /// messages, echo, GTP' or non-IP PDUs); `.invalid(.truncated)` when the bytes end inside a header.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer) -> LinkLayerResult {
        guard bytes.count >= mandatoryLength else {
            return .invalid(.truncated(needed: mandatoryLength, available: bytes.count))
        }
        let flags = bytes[0]                                                    // checked above
        // Version 1 (3 bits), protocol type 1 = GTP (not GTP'), then E, S, PN.
        guard flags >> 5 == 1, flags & 0x10 != 0, bytes[1] == gpduType else { return .notIP }  // checked above
        var offset = mandatoryLength
        if flags & 0x07 != 0 {
            offset &+= optionalLength
            guard offset <= bytes.count else { return .invalid(.truncated(needed: offset, available: bytes.count)) }
            var nextType = flags & 0x04 != 0 ? bytes[offset &- 1] : 0          // checked above
            var followed = 0
            while nextType != 0 {
                followed &+= 1
                guard followed <= maxExtensionHeaders else { return .notIP }
                // Extension header: length in 4-octet units (>= 1), content, next type (last byte).
                guard offset < bytes.count else { return .invalid(.truncated(needed: offset &+ 1, available: bytes.count)) }
                let units = Int(bytes[offset])                                  // checked above
                guard units >= 1 else { return .notIP }
                let end = offset &+ units &* 4
                guard end <= bytes.count else { return .invalid(.truncated(needed: end, available: bytes.count)) }
                nextType = bytes[end &- 1]                                      // checked above
                offset = end
            }
        }
        return LinkLayer.rawIP(bytes, offset: offset)
    }
}
