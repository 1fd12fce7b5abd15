// MARK: - Canonical text (RFC 5952) and strict parsing

extension IPAddress: CustomStringConvertible {
    /// Canonical text: IPv4 as a dotted quad; IPv6 per RFC 5952 §4 (lower-case hex, no leading zeros,
    /// the longest run of two or more zero groups shortened to `::`, the first such run on ties) and
    /// §5 (IPv4-mapped addresses as `::ffff:a.b.c.d`). Meant for report writers, not the hot path.
    public var description: String {
        switch self {
        case .v4(let value):
            return Self.dottedQuad(value)
        case .v6(let high, let low):
            if high == 0, low >> 32 == 0xFFFF {
                return "::ffff:" + Self.dottedQuad(UInt32(truncatingIfNeeded: low))
            }
            return ipv6Text()
        }
    }

    /// Written straight into the String's storage (at most 15 bytes: a small string, no allocation);
    /// reports print an address per DNS transaction and flow.
    private static func dottedQuad(_ value: UInt32) -> String {
        String(unsafeUninitializedCapacity: 15) { buffer in
            var count = 0
            for shift in [24, 16, 8, 0] as [UInt32] {
                let octet = UInt8(truncatingIfNeeded: value >> shift)
                if shift != 24, count < buffer.count { buffer[count] = UInt8(ascii: "."); count &+= 1 }
                if octet >= 100, count < buffer.count { buffer[count] = UInt8(ascii: "0") &+ octet / 100; count &+= 1 }
                if octet >= 10, count < buffer.count { buffer[count] = UInt8(ascii: "0") &+ (octet / 10) % 10; count &+= 1 }
                if count < buffer.count { buffer[count] = UInt8(ascii: "0") &+ octet % 10; count &+= 1 }
            }
            return count
        }
    }

    private func ipv6Text() -> String {
        // RFC 5952 §4.2: find the longest run of zero groups (length >= 2; first on ties).
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0..<8 {
            if ipv6Group(index) == 0 {
                if runStart < 0 { runStart = index }
                let length = index - runStart + 1
                if length > bestLength { bestStart = runStart; bestLength = length }
            } else {
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
            text += String(ipv6Group(index), radix: 16, uppercase: false)
            index += 1
        }
        return text
    }
}

extension IPAddress {
    /// Parses an IPv4 dotted quad (`192.0.2.1`; exactly four decimal octets, no leading zeros) or an
    /// IPv6 address in any RFC 4291 §2.2 form (`2001:db8::1`, `::`, `::ffff:192.0.2.1`).
    /// Returns nil for anything else: zone indexes, prefixes, surrounding spaces, empty groups.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        let parsed: IPAddress? = utf8.withUnsafeBufferPointer { bytes in
            if bytes.contains(UInt8(ascii: ":")) {
                return IPAddressParser.parseIPv6(bytes)
            }
            return IPAddressParser.parseIPv4(bytes[...]).map(IPAddress.v4)
        }
        guard let parsed else { return nil }
        self = parsed
    }
}

/// Strict text parsers behind `IPAddress.init?(_:)`.
enum IPAddressParser {
    /// Four decimal octets separated by dots, each 0...255 without leading zeros.
    static func parseIPv4(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        var firstDigitIsZero = false
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                value = value << 8 | current
                octets += 1; current = 0; digits = 0
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if digits == 0 { firstDigitIsZero = byte == UInt8(ascii: "0") } else if firstDigitIsZero { return nil }
                digits += 1
                guard digits <= 3 else { return nil }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                guard current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, octets == 3 else { return nil }
        return value << 8 | current
    }

    /// Up to eight groups of 1...4 hex digits, at most one `::`, optionally ending in a dotted quad.
    static func parseIPv6(_ text: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var index = 0
        let count = text.count
        // A leading "::" is the only way to start with a colon.
        if count >= 2, text[0] == UInt8(ascii: ":"), text[1] == UInt8(ascii: ":") {
            sawDoubleColon = true
            index = 2
            if index == count { return IPAddress.v6(high: 0, low: 0) }
        }
        while index < count {
            // One group, or a trailing dotted quad.
            var end = index
            var sawDot = false
            while end < count, text[end] != UInt8(ascii: ":") {
                if text[end] == UInt8(ascii: ".") { sawDot = true }
                end += 1
            }
            if sawDot {
                // The dotted quad must be last.
                guard end == count, let v4 = parseIPv4(text[index..<end]) else { return nil }
                let groups = [UInt16(truncatingIfNeeded: v4 >> 16), UInt16(truncatingIfNeeded: v4)]
                if sawDoubleColon { tail += groups } else { head += groups }
                index = end
                break
            }
            let length = end - index
            guard length >= 1, length <= 4 else { return nil }
            var group: UInt16 = 0
            for position in index..<end {
                guard let nibble = hexValue(text[position]) else { return nil }
                group = group << 4 | UInt16(nibble)
            }
            if sawDoubleColon { tail.append(group) } else { head.append(group) }
            guard head.count + tail.count <= 8 else { return nil }
            index = end
            if index == count { break }
            // text[index] is ':'.
            if index + 1 < count, text[index + 1] == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return nil }
                sawDoubleColon = true
                index += 2
                if index == count { break }
            } else {
                index += 1
                guard index < count else { return nil }  // trailing single colon
            }
        }
        let total = head.count + tail.count
        if sawDoubleColon {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        let groups = head + [UInt16](repeating: 0, count: 8 - total) + tail
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(groups[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(groups[i]) }
        return IPAddress.v6(high: high, low: low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
