import Testing
@testable import Decode

// SSL 2.0-format CLIENT-HELLOs (draft-hickman-netscape-ssl-00 §2.5, RFC 5246 Appendix E.2), built
// byte by byte from the format: a pure SSL 2.0 hello and a "version 2 compatible" one offering TLS 1.0.

@Suite struct SSLv2ClientHelloTests {
    /// A CLIENT-HELLO: 2-byte header (high bit set), msg_type, version, the three lengths, then
    /// cipher specs, session id and challenge. `messageLength` overrides the header's length.
    static func hello(version: UInt16, cipherSpecs: [UInt32], sessionID: [UInt8] = [],
                      challenge: [UInt8] = Array(1...16), messageType: UInt8 = 1, messageLength: Int? = nil,
                      cipherSpecLengthField: Int? = nil, challengeLengthField: Int? = nil) -> [UInt8] {
        var specs: [UInt8] = []
        for spec in cipherSpecs { specs += [UInt8(spec >> 16), UInt8((spec >> 8) & 0xFF), UInt8(spec & 0xFF)] }
        var body: [UInt8] = [messageType] + Build.be16(version)
        body += Build.be16(UInt16(cipherSpecLengthField ?? specs.count)) + Build.be16(UInt16(sessionID.count))
        body += Build.be16(UInt16(challengeLengthField ?? challenge.count))
        body += specs + sessionID + challenge
        return Build.be16(0x8000 | UInt16(messageLength ?? body.count)) + body
    }

    /// SSL 2.0 itself, with the seven SSL 2.0 cipher kinds (RC4, RC2, IDEA, DES, 3DES).
    static let sslv2 = hello(version: 0x0002,
                             cipherSpecs: [0x0700C0, 0x050080, 0x030080, 0x010080, 0x060040, 0x040080, 0x020080])
    /// A v2-compatible hello offering TLS 1.0 with TLS suites (0x00 prefix) and a 32-byte challenge.
    static let compatible = hello(version: 0x0301, cipherSpecs: [0x000005, 0x000004, 0x00000A, 0x00002F, 0x010080],
                                  challenge: Array(repeating: 0xAB, count: 32))

    @Test func sslv2HelloIsAClientHelloWithoutServerName() throws {
        #expect(Self.sslv2.count == 2 + 46)  // the layout: 9 + 21 + 0 + 16
        let info = try #require(parseClientHello(Self.sslv2).value)
        #expect(info.isSSLv2Format)
        #expect(info.legacyVersion == 0x0002)
        #expect(info.serverName == nil && info.alpn.isEmpty && info.keyShareGroups.isEmpty && info.supportedVersions.isEmpty)
        #expect(info.recordBytes == Self.sslv2.count && info.recordCount == 1)
        #expect(!info.offersPostQuantum)
    }

    @Test func versionTwoCompatibleHelloCarriesTheOfferedVersion() throws {
        let info = try #require(parseClientHello(Self.compatible).value)
        #expect(info.isSSLv2Format && info.legacyVersion == 0x0301 && info.serverName == nil)
        // Whatever follows the hello (the client's next record) is not read.
        let followed = try #require(parseClientHello(Self.compatible + [0x80, 0x40, 0x02]).value)
        #expect(followed == info)
    }

    @Test func everyStrictPrefixNeedsMoreBytes() {
        for hello in [Self.sslv2, Self.compatible] {
            forEachStrictPrefix(of: hello) { length, raw in
                #expect(ClientHelloParser.parse(raw).kind == .needMoreBytes, "prefix \(length)")
            }
        }
    }

    @Test func aSessionIDIsSkipped() throws {
        let withSession = Self.hello(version: 0x0300, cipherSpecs: [0x000004], sessionID: Array(repeating: 7, count: 16))
        let info = try #require(parseClientHello(withSession).value)
        #expect(info.legacyVersion == 0x0300 && info.recordBytes == withSession.count)
    }

    @Test func otherMessageTypesAreNotAClientHello() {
        // SERVER-HELLO is 4, CLIENT-MASTER-KEY 2: decided on the third byte.
        let masterKey = Self.hello(version: 0x0002, cipherSpecs: [0x010080], messageType: 2)
        #expect(parseClientHello(masterKey).kind == .notThisProtocol)
        #expect(parseClientHello(Array(masterKey[..<3])).kind == .notThisProtocol)
    }

    @Test func versionsOtherThanSSL2AndSSL3FamilyAreRejected() {
        #expect(parseClientHello(Self.hello(version: 0x0200, cipherSpecs: [0x010080])).kind == .notThisProtocol)
        #expect(parseClientHello(Self.hello(version: 0x0305, cipherSpecs: [0x010080])).kind == .notThisProtocol)
        #expect(parseClientHello(Self.hello(version: 0x0001, cipherSpecs: [0x010080])).kind == .notThisProtocol)
    }

    @Test func lengthFieldsMustFollowTheRules() {
        // Cipher specs are 3 bytes each, and at least one.
        let ragged = Self.hello(version: 0x0002, cipherSpecs: [0x010080, 0x020080], messageLength: 9 + 6 + 16,
                                cipherSpecLengthField: 5)
        #expect(parseClientHello(ragged).kind == .notThisProtocol)
        // The challenge is 16 to 32 bytes.
        #expect(parseClientHello(Self.hello(version: 0x0002, cipherSpecs: [0x010080], challenge: Array(1...15)))
            .kind == .notThisProtocol)
        #expect(parseClientHello(Self.hello(version: 0x0002, cipherSpecs: [0x010080],
                                            challenge: Array(repeating: 1, count: 33))).kind == .notThisProtocol)
        // The header's length below the smallest hello is decided on the second byte.
        #expect(parseClientHello([0x80, 27]).kind == .notThisProtocol)
        #expect(parseClientHello([0x80]).kind == .needMoreBytes)
    }

    @Test func theVectorsMustFillTheMessageExactly() {
        let body = Self.sslv2.count - 2
        let longer = Self.hello(version: 0x0002, cipherSpecs: [0x0700C0, 0x050080, 0x030080, 0x010080, 0x060040,
                                                               0x040080, 0x020080], messageLength: body + 1)
        #expect(parseClientHello(longer + [0]).kind == .notThisProtocol)
        let shorter = Self.hello(version: 0x0002, cipherSpecs: [0x0700C0, 0x050080, 0x030080, 0x010080, 0x060040,
                                                                0x040080, 0x020080], messageLength: body - 1)
        #expect(parseClientHello(shorter).kind == .notThisProtocol)
        // Known as soon as the three lengths are read (byte 11), before the vectors arrive.
        #expect(parseClientHello(Array(shorter[..<11])).kind == .notThisProtocol)
    }

    @Test func aTLSRecordStillGoesToTheTLSReader() {
        #expect(ClientHelloParser.mayStartClientHello(0x16) && ClientHelloParser.mayStartClientHello(0x80))
        #expect(!ClientHelloParser.mayStartClientHello(0x17) && !ClientHelloParser.mayStartClientHello(0x47))  // 'G'ET
        #expect(parseClientHello([0x16, 3, 1]).kind == .needMoreBytes)
        #expect(parseClientHello([0x47, 0x45, 0x54]).kind == .notThisProtocol)
    }
}
