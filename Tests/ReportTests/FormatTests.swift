import Correlate
import Testing
@testable import Report

// MARK: - Address, time and layout formatting

@Suite("Formatting")
struct FormatTests {
    @Test("IPv4 dotted quad")
    func ipv4() {
        #expect(AddressText.text(v4("10.0.1.25")) == "10.0.1.25")
        #expect(AddressText.text(.v4(0)) == "0.0.0.0")
        #expect(AddressText.text(.v4(.max)) == "255.255.255.255")
    }

    @Test("IPv6 per RFC 5952", arguments: [
        ([0x2001, 0x0db8, 0, 0, 0, 0, 0, 1], "2001:db8::1"),
        ([0, 0, 0, 0, 0, 0, 0, 0], "::"),
        ([0, 0, 0, 0, 0, 0, 0, 1], "::1"),
        ([0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0253], "fd00:ec2::253"),
        ([0x2001, 0x0db8, 0, 1, 1, 1, 1, 1], "2001:db8:0:1:1:1:1:1"),       // §4.2.2: one zero group is not shortened
        ([0x2001, 0, 0, 1, 0, 0, 0, 1], "2001:0:0:1::1"),                 // §4.2.3: the longest run
        ([0x2001, 0x0db8, 0, 0, 1, 0, 0, 1], "2001:db8::1:0:0:1"),        // §4.2.3: the first of equal runs
        ([0xFE80, 0, 0, 0, 0x1FF, 0xFE23, 0x4567, 0x890A], "fe80::1ff:fe23:4567:890a"),
        ([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201], "::ffff:192.0.2.1"),
        ([1, 0, 0, 0, 0, 0, 0, 0], "1::"),
    ] as [([UInt16], String)])
    func ipv6(_ groups: [UInt16], _ expected: String) {
        #expect(AddressText.text(v6(groups)) == expected)
    }

    @Test("ISO 8601 with microseconds, UTC")
    func iso() {
        #expect(TimeText.iso8601(scenarioStart) == "2026-11-29T09:16:17.123456Z")
        #expect(TimeText.iso8601(Timestamp(nanoseconds: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(TimeText.iso8601(Timestamp(nanoseconds: -1)) == "1969-12-31T23:59:59.999999Z")
        #expect(TimeText.iso8601(Timestamp(seconds: 951_782_400, nanoseconds: 999)) == "2000-02-29T00:00:00.000000Z")
        #expect(TimeText.iso8601(Timestamp(seconds: 4_107_542_399, nanoseconds: 0)) == "2100-02-28T23:59:59.000000Z")
        // Extremes do not trap.
        #expect(!TimeText.iso8601(Timestamp(nanoseconds: .max)).isEmpty)
        #expect(!TimeText.iso8601(Timestamp(nanoseconds: .min)).isEmpty)
    }

    @Test("milliseconds and offsets")
    func numbers() {
        #expect(TimeText.milliseconds(18.4) == "18.4")
        #expect(TimeText.milliseconds(3) == "3")
        #expect(TimeText.milliseconds(0.1234) == "0.123")
        #expect(TimeText.milliseconds(.nan) == "0")
        #expect(TimeText.offset(at(1_234.5, frame: 1).time, from: scenarioStart) == "+1.234s")
        #expect(TimeText.offset(scenarioStart, from: at(20, frame: 1).time) == "-0.020s")
        #expect(SVGTimeline.fixed(1.25, decimals: 1) == "1.3" || SVGTimeline.fixed(1.25, decimals: 1) == "1.2")
        #expect(SVGTimeline.fixed(-0.5, decimals: 2) == "-0.50")
        #expect(SVGTimeline.fixed(.infinity, decimals: 1) == "0")
    }

    @Test("wrapping respects width for English and Japanese")
    func wrap() {
        let en = TextLayout.wrap("The SSM agent cannot connect because the DNS server returns public addresses", width: 30, indent: "  ")
        #expect(en.allSatisfy { TextLayout.width($0) <= 30 })
        #expect(en.joined(separator: " ").split(separator: " ").joined(separator: " ")
                == "The SSM agent cannot connect because the DNS server returns public addresses")
        let ja = TextLayout.wrap("DNS サーバーが VPC エンドポイントのプライベートアドレスではなくパブリックアドレスを返しています。", width: 20)
        #expect(ja.allSatisfy { TextLayout.width($0) <= 21 })
        #expect(ja.allSatisfy { !$0.hasPrefix("。") && !$0.hasPrefix("、") })
        let long = TextLayout.wrap(String(repeating: "x", count: 250), width: 100)
        #expect(long.count == 3 && long.allSatisfy { TextLayout.width($0) <= 100 })
    }

    @Test("display filter string literals are escaped")
    func filter() {
        #expect(Escape.displayFilterString("a\"b\\c\u{1}") == "\"a\\\"b\\\\c\\x01\"")
    }
}
