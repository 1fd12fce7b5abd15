import Flows

// Prefixes given on the command line (`--vpc-cidr 10.0.0.0/16`, `--vpc-cidr 2600:1f18:aaaa:bb00::/56`)
// and the prefix arithmetic the resolver and address classes need. Not on the per-packet path.

// MARK: - Parsing

extension IPNetwork {
    /// Parses `a.b.c.d/n` (n in 0...32) or an IPv6 `x:x::x/n` (n in 0...128).
    ///
    /// Strict: decimal IPv4 octets 0...255 without leading zeros, 1...4 hex digits per IPv6 group, at
    /// most one `::`, no embedded IPv4, no zone, no spaces. Host bits set in the address are cleared
    /// (`10.0.1.5/16` is `10.0.0.0/16`). Returns nil for anything else, including the empty string
    /// and an address without `/n`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")),
              let address = IPAddressText.parse(bytes[..<slash]) else { return nil }
        let maximum = address.bitWidth
        guard let length = IPAddressText.decimal(bytes[(slash + 1)...], maximum: maximum) else { return nil }
        self.init(address: address.masked(toPrefix: length), prefixLength: length)
    }

    /// The network of `prefixLength` bits that contains `address`.
    public static func containing(_ address: IPAddress, prefixLength: Int) -> IPNetwork {
        let length = min(max(prefixLength, 0), address.bitWidth)
        return IPNetwork(address: address.masked(toPrefix: length), prefixLength: length)
    }
}

// MARK: - Prefix arithmetic

extension IPNetwork {
    /// The first address of the network (host bits cleared).
    public var base: IPAddress { address.masked(toPrefix: prefixLength) }

    /// True when `candidate` is of the same family and within the prefix.
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4, .v4), (.v6, .v6): candidate.masked(toPrefix: prefixLength) == base
        default: false
        }
    }

    /// The address `offset` past the base (wrapping), e.g. `offset: 2` for AmazonProvidedDNS.
    public func baseAddress(plus offset: UInt32) -> IPAddress {
        switch base {
        case .v4(let value):
            return IPAddress.v4(value &+ offset)
        case .v6(let high, let low):
            let (sum, carry) = low.addingReportingOverflow(UInt64(offset))
            return .v6(high: carry ? high &+ 1 : high, low: sum)
        }
    }
}

extension IPAddress {
    /// 32 for IPv4, 128 for IPv6.
    var bitWidth: Int {
        switch self { case .v4: 32; case .v6: 128 }
    }

    /// The address with every bit after the first `prefix` cleared (prefix clamped to the width).
    func masked(toPrefix prefix: Int) -> IPAddress {
        switch self {
        case .v4(let value):
            let kept = min(max(prefix, 0), 32)
            // Smart shifts: shifting by 32 yields 0, so prefix 0 keeps nothing.
            return .v4(value & (~UInt32(0) << UInt32(32 - kept)))
        case .v6(let high, let low):
            let kept = min(max(prefix, 0), 128)
            let highMask = ~UInt64(0) << UInt64(64 - min(kept, 64))
            let lowMask = ~UInt64(0) << UInt64(128 - max(kept, 64))
            return .v6(high: high & highMask, low: low & lowMask)
        }
    }
}

// MARK: - Address text

/// A small strict parser for address text (the Decode stage owns presentation; this is only for
/// options and tests).
enum IPAddressText {
    /// Parses `a.b.c.d` or an IPv6 address; nil for anything else.
    static func parse(_ text: String) -> IPAddress? { parse(Array(text.utf8)[...]) }

    static func parse(_ bytes: ArraySlice<UInt8>) -> IPAddress? {
        bytes.contains(UInt8(ascii: ":")) ? ipv6(bytes) : ipv4(bytes)
    }

    /// A decimal number of 1...3 digits without sign or leading zeros (except "0"), at most `maximum`.
    static func decimal(_ digits: ArraySlice<UInt8>, maximum: Int) -> Int? {
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        if digits.count > 1, digits.first == UInt8(ascii: "0") { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
            if value > maximum { return nil }
        }
        return value
    }

    private static func ipv4(_ bytes: ArraySlice<UInt8>) -> IPAddress? {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = decimal(part, maximum: 255) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return .v4(value)
    }

    private static func ipv6(_ bytes: ArraySlice<UInt8>) -> IPAddress? {
        let colon = UInt8(ascii: ":")
        // Find the one "::", if any.
        var gap: Int?
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let next = bytes.index(after: index)
            if bytes[index] == colon, next < bytes.endIndex, bytes[next] == colon {
                if gap != nil { return nil }
                gap = index
                index = bytes.index(after: next)
            } else {
                index = next
            }
        }
        let groups: [UInt16]
        if let gap {
            guard let head = hexGroups(bytes[..<gap]), let tail = hexGroups(bytes[(gap + 2)...]),
                  head.count + tail.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = hexGroups(bytes), all.count == 8 else { return nil }
            groups = all
        }
        var high: UInt64 = 0, low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        return .v6(high: high, low: low)
    }

    /// Colon-separated groups of 1...4 hex digits; an empty input is zero groups.
    private static func hexGroups(_ bytes: ArraySlice<UInt8>) -> [UInt16]? {
        if bytes.isEmpty { return [] }
        var groups: [UInt16] = []
        for part in bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
            guard (1...4).contains(part.count), groups.count < 8 else { return nil }
            var value: UInt16 = 0
            for digit in part {
                guard let nibble = hexValue(digit) else { return nil }
                value = value << 4 | UInt16(nibble)
            }
            groups.append(value)
        }
        return groups
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
