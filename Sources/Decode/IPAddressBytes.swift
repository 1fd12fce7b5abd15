// MARK: - IPAddress from wire bytes

extension IPAddress {
    /// The IPv4 address stored in network byte order at `offset` in `bytes` (RFC 791 §3.1).
    /// Returns nil when fewer than 4 bytes follow `offset`.
    @inlinable
    public init?(ipv4 bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        guard offset >= 0, bytes.count >= 4, offset <= bytes.count &- 4 else { return nil }
        self = .v4(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian)  // checked above
    }

    /// The IPv6 address stored in network byte order at `offset` in `bytes` (RFC 8200 §3).
    /// Returns nil when fewer than 16 bytes follow `offset`.
    @inlinable
    public init?(ipv6 bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        guard offset >= 0, bytes.count >= 16, offset <= bytes.count &- 16 else { return nil }
        // checked above
        self = .v6(high: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian,
                   low: bytes.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self).bigEndian)
    }

    /// The address from its four dotted-quad octets.
    @inlinable
    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self = .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// The address from its eight 16-bit groups, most significant first.
    @inlinable
    public init(ipv6Groups g: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16)) {
        let high = UInt64(g.0) << 48 | UInt64(g.1) << 32 | UInt64(g.2) << 16 | UInt64(g.3)
        let low = UInt64(g.4) << 48 | UInt64(g.5) << 32 | UInt64(g.6) << 16 | UInt64(g.7)
        self = .v6(high: high, low: low)
    }

    /// True for IPv4 addresses.
    @inlinable
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// The 16-bit group `index` (0...7, most significant first) of an IPv6 address; 0 for IPv4.
    @inlinable
    public func ipv6Group(_ index: Int) -> UInt16 {
        guard case .v6(let high, let low) = self, index >= 0, index < 8 else { return 0 }
        let word = index < 4 ? high : low
        let shift = UInt64(48 &- 16 &* (index & 3))
        return UInt16(truncatingIfNeeded: word >> shift)
    }
}
