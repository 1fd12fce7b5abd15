import Testing
@testable import Decode

// MARK: - IPv6 fixed header (RFC 8200 §3) and extension chain (§4)

@Suite struct IPv6HeaderTests {
    static let udpPayload = Build.udp(payload: [1, 2, 3, 4])
    static let packet = Build.ipv6(nextHeader: 17, payload: udpPayload)

    @Test func readsFields() throws {
        try withRaw(Self.packet) { raw in
            let header = try IPv6Header(raw)
            #expect(header.nextHeader == 17)
            #expect(header.source == IPAddress("2001:db8::1"))
            #expect(header.destination == IPAddress("2001:db8::2"))
            #expect(header.claimedPayloadLength == 12)
            #expect(Array(header.payload) == Self.udpPayload)
            #expect(!header.isTruncated)
        }
    }

    @Test func everyStrictPrefixOfTheFixedHeaderIsTruncated() {
        forEachStrictPrefix(of: Array(Self.packet[0..<40])) { length, raw in
            #expect(throws: HeaderError.truncated(needed: 40, available: length)) { try IPv6Header(raw) }
        }
    }

    @Test func wrongVersionPaddingAndTruncation() throws {
        var v4 = Self.packet
        v4[0] = 0x45
        withRaw(v4) { raw in #expect(throws: HeaderError.malformed(.wrongIPVersion)) { try IPv6Header(raw) } }
        try withRaw(Self.packet + [0, 0, 0, 0, 0, 0]) { raw in
            let header = try IPv6Header(raw)
            #expect(header.packet.count == 52)
        }
        try withRaw(Build.ipv6(nextHeader: 17, payload: Self.udpPayload, payloadLength: 1400)) { raw in
            let header = try IPv6Header(raw)
            #expect(header.isTruncated && header.payload.count == 12)
        }
    }

    // MARK: - Extension chain

    static let chain = Build.ipv6Extension(next: 43, extLen: 1)           // hop-by-hop, 16 bytes
        + Build.ipv6Extension(next: 51, extLen: 0)                        // routing, 8 bytes
        + [60, 2, 0, 0] + [UInt8](repeating: 0, count: 12)                // AH, (2+2)*4 = 16 bytes
        + Build.ipv6Extension(next: 6, extLen: 0)                         // destination options, 8 bytes

    @Test func walksHopByHopRoutingAHDestinationOptions() throws {
        let bytes = Self.chain + Build.tcp()
        try withRaw(bytes) { raw in
            let end = try IPv6ExtensionChain.walk(raw, claimedLength: bytes.count, nextHeader: 0)
            #expect(end == .upperLayer(protocolNumber: 6, offset: 48))
        }
    }

    @Test func everyStrictPrefixOfTheChainIsTruncatedAndPastTheClaimIsMalformed() {
        forEachStrictPrefix(of: Self.chain) { length, raw in
            do throws(HeaderError) {
                _ = try IPv6ExtensionChain.walk(raw, claimedLength: Self.chain.count, nextHeader: 0)
                Issue.record("prefix \(length) walked")
            } catch {
                guard case .truncated = error else { Issue.record("prefix \(length): \(error)"); return }
            }
            #expect(throws: HeaderError.malformed(.ipv6ExtensionPastPayload)) {
                try IPv6ExtensionChain.walk(raw, claimedLength: length, nextHeader: 0)
            }
        }
    }

    @Test func tooLongChainIsMalformed() {
        let nine = (0..<9).flatMap { _ in Build.ipv6Extension(next: 60) }
        withRaw(nine + Build.tcp()) { raw in
            #expect(throws: HeaderError.malformed(.ipv6ExtensionChainTooLong)) {
                try IPv6ExtensionChain.walk(raw, claimedLength: raw.count, nextHeader: 60)
            }
        }
        let eight = (0..<7).flatMap { _ in Build.ipv6Extension(next: 60) } + Build.ipv6Extension(next: 6)
        withRaw(eight + Build.tcp()) { raw in
            #expect((try? IPv6ExtensionChain.walk(raw, claimedLength: raw.count, nextHeader: 60))
                    == .upperLayer(protocolNumber: 6, offset: 64))
        }
    }

    @Test func fragmentHeaderAtomicFragmentESPAndNoNextHeader() throws {
        let fragment = Build.ipv6Extension(next: 44) + Build.ipv6Fragment(next: 17, offset: 1448, more: true, id: 7)
        try withRaw(fragment + [1, 2, 3]) { raw in
            let end = try IPv6ExtensionChain.walk(raw, claimedLength: raw.count, nextHeader: 0)
            #expect(end == .fragment(FragmentInfo(offset: 1448, moreFragments: true, identification: 7, protocolNumber: 17),
                                     dataOffset: 16))
        }
        let atomic = Build.ipv6Fragment(next: 17, offset: 0, more: false, id: 9) + Self.udpPayload
        withRaw(atomic) { raw in
            #expect((try? IPv6ExtensionChain.walk(raw, claimedLength: raw.count, nextHeader: 44))
                    == .upperLayer(protocolNumber: 17, offset: 8))
        }
        withRaw([0, 0, 0, 1]) { raw in
            #expect((try? IPv6ExtensionChain.walk(raw, claimedLength: 4, nextHeader: 50)) == .upperLayer(protocolNumber: 50, offset: 0))
            #expect((try? IPv6ExtensionChain.walk(raw, claimedLength: 4, nextHeader: 59)) == .upperLayer(protocolNumber: 59, offset: 0))
        }
        forEachStrictPrefix(of: Build.ipv6Fragment(next: 17, offset: 8, more: true, id: 1)) { length, raw in
            #expect(throws: HeaderError.truncated(needed: 8, available: length)) {
                try IPv6ExtensionChain.walk(raw, claimedLength: 8, nextHeader: 44)
            }
        }
    }
}
