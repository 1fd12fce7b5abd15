import Correlate

// MARK: - Address text

enum AddressText {
    /// Dotted quad for IPv4; RFC 5952 canonical text for IPv6 (Decode's `IPAddress.description`).
    static func text(_ address: IPAddress) -> String {
        address.description
    }

    /// `a.b.c.d:port` or `[v6]:port`.
    static func endpoint(_ address: IPAddress, port: UInt16) -> String {
        switch address {
        case .v4: return "\(text(address)):\(port)"
        case .v6: return "[\(text(address))]:\(port)"
        }
    }

    /// True for IPv6 addresses.
    static func isIPv6(_ address: IPAddress) -> Bool {
        if case .v6 = address { return true }
        return false
    }
}
