// MARK: - BSD loopback (DLT_NULL, DLT_LOOP)

/// BSD loopback: a 4-byte address family, then the packet. DLT_NULL stores it in the byte order of
/// the capturing host (unknown to us, so both are tried), DLT_LOOP in network byte order.
public enum NullLoopbackHeader {
    public static let length = 4

    /// How the address family field is stored.
    public enum ByteOrder: Sendable {
        /// The capturing host's order: little- or big-endian, decided from the value.
        case host
        /// Big-endian.
        case network
    }

    /// AF_INET on every platform.
    public static let afINET: UInt32 = 2
    /// AF_INET6: 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly), 30 (Darwin), 10 (Linux).
    public static let afINET6Values: (UInt32, UInt32, UInt32, UInt32) = (24, 28, 30, 10)

    /// Returns where IP starts; `.invalid(.truncated)` when the frame is shorter than 4 bytes.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer, byteOrder: ByteOrder) -> LinkLayerResult {
        guard bytes.count >= length else { return .invalid(.truncated(needed: length, available: bytes.count)) }
        let raw = bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)  // checked above
        var family: UInt32
        switch byteOrder {
        case .network:
            family = raw.bigEndian
        case .host:
            // Families are small numbers: whichever reading is small is the right one.
            family = raw.littleEndian
            if family > 0xFFFF { family = raw.bigEndian }
        }
        if family == afINET { return .network(.ipv4, offset: length) }
        let v6 = afINET6Values
        if family == v6.0 || family == v6.1 || family == v6.2 || family == v6.3 {
            return .network(.ipv6, offset: length)
        }
        return .notIP
    }
}
