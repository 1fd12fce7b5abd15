import Testing
import Decode

// MARK: - RFC 5952 canonical text and strict parsing

@Suite struct IPAddressTextTests {
    /// (input in any RFC 4291 form, RFC 5952 canonical text): the RFC's own examples (§2.1, §2.2, §4, §5).
    static let canonical: [(String, String)] = [
        // §2.1: eight spellings of one address.
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8::1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8::0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0db8::1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:0:0:1::1", "2001:db8::1:0:0:1"),
        ("2001:db8:0000:0:1::1", "2001:db8::1:0:0:1"),
        ("2001:DB8:0:0:1::1", "2001:db8::1:0:0:1"),
        // §2.2
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd::1", "2001:db8:aaaa:bbbb:cccc:dddd:0:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:0:1", "2001:db8:aaaa:bbbb:cccc:dddd:0:1"),
        ("2001:db8:0:0:0::1", "2001:db8::1"),
        ("2001:db8:0:0::1", "2001:db8::1"),
        ("2001:db8:0::1", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:db8::aaaa:0:0:1", "2001:db8::aaaa:0:0:1"),
        ("2001:db8:0:0:aaaa::1", "2001:db8::aaaa:0:0:1"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa"),
        // §4.1 leading zeros, §4.2.2 a single zero group is not shortened, §4.2.3 longest run / first on ties.
        ("2001:0db8::0001", "2001:db8::1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        // Edges.
        ("::", "::"), ("::1", "::1"), ("1::", "1::"), ("0:0:0:0:0:0:0:0", "::"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"), ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("fe80::1", "fe80::1"), ("fd00:ec2::253", "fd00:ec2::253"),
        // §5: IPv4-mapped in mixed notation; other addresses in hex.
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"), ("::FFFF:c000:0201", "::ffff:192.0.2.1"),
        ("::192.0.2.1", "::c000:201"), ("64:ff9b::192.0.2.1", "64:ff9b::c000:201"),
        ("1:2:3:4:5:6:192.0.2.1", "1:2:3:4:5:6:c000:201"),
        // IPv4.
        ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("169.254.169.253", "169.254.169.253"),
    ]

    @Test(arguments: canonical)
    func formatsCanonically(input: String, expected: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == expected)
        // The canonical form parses back to the same address.
        #expect(IPAddress(expected) == address)
    }

    static let garbage: [String] = [
        "", " ", ":", ":::", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "01.2.3.4", "1.02.3.4",
        " 1.2.3.4", "1.2.3.4 ", "1..3.4", ".1.2.3", "1.2.3.", "1.2.3.-4", "1.2.3.4/24", "1234.1.1.1",
        "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "::g", "1:2:3:4:5:6:7", ":1::", "1::2:", ":1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "fe80::1%eth0", "::ffff:1.2.3",
        "::ffff:1.2.3.4.5", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:256.0.0.1", "[::1]", "::1/128",
        "2001:db8::1 ", "2001:db8:::1", "1.2.3.4::",
    ]

    @Test(arguments: garbage)
    func rejectsGarbage(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func bytesInitializersReadNetworkOrder() throws {
        let bytes: [UInt8] = [0xAA, 192, 0, 2, 1] + Build.v6("2001:db8::1:0:0:1")
        withRaw(bytes) { raw in
            #expect(IPAddress(ipv4: raw, offset: 1) == IPAddress(ipv4: 192, 0, 2, 1))
            #expect(IPAddress(ipv6: raw, offset: 5)?.description == "2001:db8::1:0:0:1")
            #expect(IPAddress(ipv4: raw, offset: bytes.count - 3) == nil)
            #expect(IPAddress(ipv6: raw, offset: 6) == nil)
            #expect(IPAddress(ipv4: raw, offset: -1) == nil)
        }
        #expect(IPAddress(ipv6Groups: (0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)) == IPAddress("2001:db8::1:0:0:1"))
        #expect(IPAddress("2001:db8::1")?.ipv6Group(1) == 0x0db8)
    }

    @Test func ordersIPv4BeforeIPv6() throws {
        let v4 = try #require(IPAddress("203.0.113.9"))
        let v6 = try #require(IPAddress("::1"))
        #expect(v4 < v6)
        #expect(v4.isIPv4 && !v6.isIPv4)
    }
}
