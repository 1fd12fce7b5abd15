import Correlate

// MARK: - Address text
//
// The Report stage's own address formatter (Decode's `IPAddress.description` may arrive later; this one
// stays so that the report never depends on how another stage prints addresses).

enum AddressText {
    /// Dotted quad for IPv4; RFC 5952 canonical text for IPv6 (lower case, no leading zeros, the longest
    /// run of two or more zero groups shortened to `::`, the first such run on a tie; IPv4-mapped
    /// addresses as `::ffff:a.b.c.d`, RFC 5952 §5).
    static func text(_ address: IPAddress) -> String {
        switch address {
        case .v4(let value):
            return dottedQuad(value)
        case .v6(let high, let low):
            return ipv6Text(high: high, low: low)
        }
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

    static func dottedQuad(_ value: UInt32) -> String {
        let a = (value >> 24) & 0xFF, b = (value >> 16) & 0xFF, c = (value >> 8) & 0xFF, d = value & 0xFF
        return "\(a).\(b).\(c).\(d)"
    }

    private static func ipv6Text(high: UInt64, low: UInt64) -> String {
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<4 {
            let shift = UInt64(48 - 16 * i)
            groups[i] = UInt16(truncatingIfNeeded: high >> shift)
            groups[i + 4] = UInt16(truncatingIfNeeded: low >> shift)
        }
        // RFC 5952 §5: ::ffff:0:0/96 (IPv4-mapped) keeps the dotted quad.
        if high == 0 && (low >> 32) == 0xFFFF {
            return "::ffff:" + dottedQuad(UInt32(truncatingIfNeeded: low))
        }
        // RFC 5952 §4.2: longest run of zero groups (length >= 2), first on a tie.
        var bestStart = -1, bestLength = 0
        var runStart = -1
        for i in 0...8 {
            let isZero = i < 8 && groups[i] == 0
            if isZero {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var out = ""
        var i = 0
        while i < 8 {
            if i == bestStart {
                out += "::"
                i += bestLength
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(groups[i], radix: 16)
            i += 1
        }
        return out
    }
}
