import Testing
@testable import Flows
import Decode

// SSL 2.0-format CLIENT-HELLOs (RFC 5246 Appendix E.2) through the public FlowTracker and the real
// parsers: Skype-era clients that offer TLS 1.0 in one, SSL 2.0 itself, and a stream whose first
// byte merely has the high bit set.

@Suite struct SSLv2HelloFlowTests {
    /// A CLIENT-HELLO built from the format: header (high bit + length), msg_type 1, version,
    /// cipher_spec_length, session_id_length 0, challenge_length 16, specs, challenge.
    static func sslv2Hello(version: UInt16, cipherSpecs: [UInt8]) -> [UInt8] {
        let body: [UInt8] = [1, UInt8(version >> 8), UInt8(version & 0xFF), 0, UInt8(cipherSpecs.count), 0, 0, 0, 16]
            + cipherSpecs + [UInt8](repeating: 0x5A, count: 16)
        return [0x80 | UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// TLS 1.0 offered through a v2-compatible hello, with three TLS suites (0x00 prefix).
    static let compatible = sslv2Hello(version: 0x0301, cipherSpecs: [0, 0, 0x05, 0, 0, 0x04, 0, 0, 0x2F])

    @Test func versionTwoCompatibleHelloAnsweredByATLSServer() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.handshake()
        for piece in split(Self.compatible, at: [1, 7]) { s.clientSends(piece) }  // header split, then fields
        // A TLS 1.2 server answers in TLS records (recorded: openssl s_server to curl).
        let server = try fixture("curl-tls12-server-stream")
        for piece in split(server, at: [90, 400]) { s.serverSends(piece) }
        s.closeNormally()
        let flow = try #require(h.finish().flows.first)
        let hello = try #require(flow.clientHello)
        #expect(hello.isSSLv2Format && hello.legacyVersion == 0x0301 && hello.serverName == nil)
        #expect(hello.recordBytes == Self.compatible.count)
        #expect(flow.clientHelloSegments == 3)
        #expect(flow.serverHello?.negotiatedVersion == 0x0303)
        #expect(flow.tls == .established)
    }

    @Test func sslv2HelloAnsweredInSSLv2StaysAtClientHelloSent() throws {
        let h = TrackerHarness()
        let s = h.session()
        s.handshake()
        s.clientSends(Self.sslv2Hello(version: 0x0002, cipherSpecs: [0x07, 0x00, 0xC0, 0x01, 0x00, 0x80]))
        // SERVER-HELLO (msg_type 4) in an SSL 2.0 record: not TLS, so no ServerHello is reported.
        s.serverSends([0x80, 0x20, 0x04, 0x00, 0x01, 0x00, 0x02] + [UInt8](repeating: 0, count: 27))
        s.closeNormally()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.clientHello?.legacyVersion == 0x0002)
        #expect(flow.serverHello == nil && flow.tls == .clientHelloSent)
    }

    @Test func aHighBitOpeningThatIsNotSSLv2StillFindsTheTLSHelloAfterIt() throws {
        let tlsClient = try fixture("curl-tls12-client-stream")
        let helloEnd = 5 + (Int(tlsClient[3]) << 8 | Int(tlsClient[4]))
        // A binary preamble whose first byte has the high bit set (msg_type 2 rules out SSLv2).
        let preamble: [UInt8] = [0x85, 0x10, 0x02] + [UInt8](repeating: 0x11, count: 17)
        let h = TrackerHarness()
        let s = h.session()
        s.handshake()
        s.clientSends(preamble + Array(tlsClient[..<helloEnd]))
        let server = try fixture("curl-tls12-server-stream")
        s.serverSends([0x42, 0x42] + server)     // the server's own preamble, then TLS
        s.closeNormally()
        let flow = try #require(h.finish().flows.first)
        let hello = try #require(flow.clientHello)
        let direct = Array(tlsClient[..<helloEnd]).withUnsafeBytes { ClientHelloParser.parse($0) }
        guard case .complete(let expected) = direct else { Issue.record("fixture hello does not parse"); return }
        #expect(hello == expected && !hello.isSSLv2Format)
        #expect(flow.serverHello?.negotiatedVersion == 0x0303)
    }
}
