import Testing
@testable import Decode

// Named malformed ClientHellos, each built from a valid one with exactly one lie.

@Suite("ClientHello malformed variants")
struct ClientHelloMalformedTests {
    /// A valid hello with SNI, ALPN, supported_versions and key_share.
    static var valid: ClientHelloBuilder {
        var hello = ClientHelloBuilder()
        hello.extensions = [
            ClientHelloBuilder.serverName("ssm.us-east-1.amazonaws.com"),
            ClientHelloBuilder.alpn(["http/1.1"]),
            ClientHelloBuilder.supportedVersions([0x0304, 0x0303]),
            ClientHelloBuilder.keyShare([(0x001D, 32)]),
        ]
        return hello
    }

    /// Offset of the extensions block length in `valid.record`: record header, handshake header,
    /// version, random, session id, cipher suites, compression.
    static var extensionsLengthOffset: Int { 5 + 4 + 2 + 32 + 1 + 32 + 2 + 8 + 1 + 1 }

    @Test func theBaseIsValid() throws {
        let info = try #require(parseClientHello(Self.valid.record).value)
        #expect(info.serverName == Array("ssm.us-east-1.amazonaws.com".utf8))
        #expect(info.alpn == [Array("http/1.1".utf8)])
        #expect(info.supportedVersions == [0x0304, 0x0303])
        #expect(info.keyShareGroups == [0x001D])
        #expect(Self.valid.record[Self.extensionsLengthOffset + 2] == 0x00) // server_name type starts the block
    }

    // MARK: - Records

    @Test func recordLengthPastTheLimit() {
        var bytes = Self.valid.record
        bytes[3] = 0x48; bytes[4] = 0x01 // 18,433 > 2^14 + 2048
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
        #expect(parseClientHello(Array(bytes[..<4])).kind == .needMoreBytes) // 0x48 << 8 = 18,432 still allowed
        bytes[3] = 0x49
        #expect(parseClientHello(Array(bytes[..<4])).kind == .notThisProtocol) // decided on the 4th byte
    }

    @Test func zeroLengthRecord() {
        #expect(parseClientHello([22, 3, 1, 0, 0]).kind == .notThisProtocol)
    }

    @Test func recordLongerThanTheBytesWaits() {
        var bytes = Self.valid.record
        let length = Int(bytes[3]) << 8 | Int(bytes[4]) + 10
        bytes[3] = UInt8(length >> 8); bytes[4] = UInt8(length & 0xFF)
        // The handshake inside is whole, so the hello parses without the record's missing tail.
        #expect(parseClientHello(bytes).kind == .complete)
    }

    @Test func recordShorterThanTheHandshakeThenSomethingElse() {
        let handshake = Self.valid.handshake
        let first = TLSTestFraming.records(ofHandshake: Array(handshake[..<50]), fragmentSize: 50)
        // Handshake length past the record, nothing else yet: a valid prefix.
        #expect(parseClientHello(first).kind == .needMoreBytes)
        // ... followed by an alert record instead of the rest: not a ClientHello.
        #expect(parseClientHello(first + [21, 3, 3, 0, 2, 2, 40]).kind == .notThisProtocol)
        // ... followed by the rest in an application-data record.
        #expect(parseClientHello(first + [23, 3, 3]).kind == .notThisProtocol)
    }

    @Test func badRecordVersion() {
        #expect(parseClientHello([22, 2]).kind == .notThisProtocol)
        #expect(parseClientHello([22, 3, 5]).kind == .notThisProtocol)
        #expect(parseClientHello([22]).kind == .needMoreBytes)
        #expect(parseClientHello([22, 3, 1, 2]).kind == .needMoreBytes)
    }

    // MARK: - Handshake

    @Test func handshakeTypeNotClientHello() {
        var bytes = Self.valid.record
        bytes[5] = 2 // server_hello
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
        #expect(parseClientHello(Array(bytes[..<6])).kind == .notThisProtocol)
    }

    @Test func handshakeLengthPastTheRecordWithNothingAfter() {
        var bytes = Self.valid.record
        bytes[8] &+= 1 // one byte longer than the record carries
        // The extensions block, whole in this record, ends one byte before the handshake claims to:
        // no later record can make that valid, so there is no need to wait for one.
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
        #expect(parseClientHello(bytes + [0x16]).kind == .notThisProtocol)
        #expect(parseClientHello(bytes + [0x17]).kind == .notThisProtocol)
        // A handshake longer than its record whose fields still run on is a valid prefix (the
        // re-framed real hellos check every such prefix); cut inside the extensions it waits.
        let handshake = Self.valid.handshake
        let firstRecord = TLSTestFraming.records(ofHandshake: Array(handshake[..<(handshake.count - 10)]), fragmentSize: 16_384)
        #expect(parseClientHello(firstRecord).kind == .needMoreBytes)
        #expect(parseClientHello(firstRecord + [0x17]).kind == .notThisProtocol)
    }

    @Test func handshakeLengthTooSmallForAClientHello() {
        var bytes = Self.valid.record
        bytes[6] = 0; bytes[7] = 0; bytes[8] = 40
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func handshakeLengthShorterThanItsFields() {
        // The extensions block then runs past the handshake.
        var hello = Self.valid
        hello.extensions = []
        var bytes = hello.record
        let handshakeLength = Int(bytes[7]) << 8 | Int(bytes[8])
        bytes[8] = UInt8((handshakeLength - 1) & 0xFF)
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func sessionIDLongerThan32() {
        var hello = Self.valid
        hello.sessionID = [UInt8](repeating: 1, count: 33)
        #expect(parseClientHello(hello.record).kind == .notThisProtocol)
    }

    @Test func oddCipherSuitesLength() {
        var bytes = Self.valid.record
        let offset = 5 + 4 + 2 + 32 + 1 + 32
        #expect(bytes[offset] == 0 && bytes[offset + 1] == 8)
        bytes[offset + 1] = 7
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func noCompressionMethods() {
        var hello = Self.valid
        hello.compressionMethods = []
        #expect(parseClientHello(hello.record).kind == .notThisProtocol)
    }

    @Test func noExtensionsAtAll() throws {
        var hello = Self.valid
        hello.extensions = []
        var body = hello.body
        body.removeLast(2) // drop the empty extensions block entirely (TLS 1.2 allows it)
        let record = TLSTestFraming.records(ofHandshake: [1] + TLSTestFraming.u24(body.count) + body, fragmentSize: 16_384)
        let info = try #require(parseClientHello(record).value)
        #expect(info.serverName == nil)
        #expect(info.supportedVersions.isEmpty)
    }

    // MARK: - Extensions

    @Test func extensionsBlockPastTheHandshake() {
        var bytes = Self.valid.record
        let offset = Self.extensionsLengthOffset
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) + 1
        bytes[offset] = UInt8(length >> 8); bytes[offset + 1] = UInt8(length & 0xFF)
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func extensionsBlockShorterThanTheHandshake() {
        var bytes = Self.valid.record
        let offset = Self.extensionsLengthOffset
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) - 1
        bytes[offset] = UInt8(length >> 8); bytes[offset + 1] = UInt8(length & 0xFF)
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func extensionLengthPastTheBlock() {
        var hello = Self.valid
        hello.extensions.append((0x0017, []))
        var bytes = hello.record
        // The last extension (0x0017, empty) claims 5 bytes the block does not have.
        bytes[bytes.count - 1] = 5
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func serverNameListLengthLongerThanTheExtension() {
        var bytes = Self.valid.record
        let offset = Self.extensionsLengthOffset + 2 + 4 // server_name list length
        bytes[offset + 1] &+= 1
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func serverNameListLengthShorterThanTheExtension() {
        var bytes = Self.valid.record
        let offset = Self.extensionsLengthOffset + 2 + 4
        bytes[offset + 1] &-= 1
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func serverNameHostLengthLies() {
        var bytes = Self.valid.record
        let offset = Self.extensionsLengthOffset + 2 + 4 + 2 + 1 // host_name length
        bytes[offset + 1] &+= 1
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
    }

    @Test func zeroLengthExtensionsOfUnreadTypesAreFine() throws {
        var hello = Self.valid
        hello.extensions = [(0x0017, []), (0x0016, []), (0x0023, []), (0x0031, [])] + hello.extensions + [(0xFF01, [])]
        let info = try #require(parseClientHello(hello.record).value)
        #expect(info.serverName == Array("ssm.us-east-1.amazonaws.com".utf8))
    }

    @Test func zeroLengthServerNameIsMalformed() {
        var hello = Self.valid
        hello.extensions[0] = (0, [])
        #expect(parseClientHello(hello.record).kind == .notThisProtocol)
    }

    @Test func zeroLengthSupportedVersionsIsMalformed() {
        var hello = Self.valid
        hello.extensions[2] = (43, [])
        #expect(parseClientHello(hello.record).kind == .notThisProtocol)
    }

    @Test func emptyKeyShareListIsFine() throws {
        var hello = Self.valid
        hello.extensions[3] = ClientHelloBuilder.keyShare([])
        let info = try #require(parseClientHello(hello.record).value)
        #expect(info.keyShareGroups.isEmpty)
    }

    @Test func greaseIsRemoved() throws {
        var hello = Self.valid
        hello.extensions = [(0x0A0A, [])] + hello.extensions
        hello.extensions[3] = ClientHelloBuilder.supportedVersions([0x7A7A, 0x0304, 0x0303])
        hello.extensions[4] = ClientHelloBuilder.keyShare([(0xDADA, 1), (0x11EC, 1216), (0x001D, 32)])
        hello.extensions.append((0x1A1A, [0]))
        let info = try #require(parseClientHello(hello.record).value)
        #expect(info.supportedVersions == [0x0304, 0x0303])
        #expect(info.keyShareGroups == [0x11EC, 0x001D])
        #expect(info.offersPostQuantum)
        #expect(isGREASE(0xFAFA) && !isGREASE(0x0A1A) && !isGREASE(0x001D))
    }

    @Test func draftKeyShareCodePoint() throws {
        // TLS 1.3 drafts 16-22 numbered key_share 40 (Chrome 55 canary, Firefox 52 in the corpus).
        var hello = Self.valid
        hello.extensions[3] = ClientHelloBuilder.keyShare([(0x001D, 32), (0x0017, 65)])
        hello.extensions[3].type = 40
        let info = try #require(parseClientHello(hello.record).value)
        #expect(info.keyShareGroups == [0x001D, 0x0017])
    }

    @Test func postQuantumShareOfTheWrongLength() {
        var hello = Self.valid
        hello.extensions[3] = ClientHelloBuilder.keyShare([(0x11EC, 1215), (0x001D, 32)])
        #expect(parseClientHello(hello.record).kind == .notThisProtocol)
        hello.extensions[3] = ClientHelloBuilder.keyShare([(0x001D, 31)])
        #expect(parseClientHello(hello.record).kind == .notThisProtocol)
    }

    @Test func syntheticPostQuantumHelloSpansTwoSegments() throws {
        var hello = Self.valid
        hello.extensions[3] = ClientHelloBuilder.keyShare([(0x11EC, 1216), (0x001D, 32)])
        hello.extensions.append((0x0015, [UInt8](repeating: 0, count: 120))) // padding, as Go's hello is ~1.5 KB
        let bytes = hello.record
        try #require(bytes.count > 1_460)
        #expect(parseClientHello(Array(bytes[..<1_460])).kind == .needMoreBytes)
        let info = try #require(parseClientHello(bytes).value)
        #expect(info.offersPostQuantum)
    }

    @Test func garbageInsideTheFirstRecordIsSeenBeforeTheRest() {
        // A session id length of 200 makes the hello impossible while most bytes are still missing.
        var bytes = Self.valid.record
        bytes[5 + 4 + 2 + 32] = 200
        #expect(parseClientHello(Array(bytes[..<60])).kind == .notThisProtocol)
    }

    @Test func garbageInAFirstRecordIsSeenWhileLaterRecordsAreMissing() {
        var hello = Self.valid
        hello.sessionID = [UInt8](repeating: 1, count: 32)
        var records = TLSTestFraming.records(ofHandshake: hello.handshake, fragmentSize: 100)
        records[5 + 4 + 2 + 32] = 99 // session id length, inside the complete first record
        #expect(parseClientHello(Array(records[..<105])).kind == .notThisProtocol) // first record only
        #expect(parseClientHello(Array(records[..<110])).kind == .notThisProtocol) // + the next header
        #expect(parseClientHello(Array(records[..<150])).kind == .notThisProtocol) // + part of the next body
    }

    // MARK: - Not TLS at all

    @Test func httpGET() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: ssm.us-east-1.amazonaws.com\r\n\r\n".utf8)
        #expect(parseClientHello(bytes).kind == .notThisProtocol)
        #expect(parseClientHello(Array(bytes[..<1])).kind == .notThisProtocol)
    }

    @Test func sshBanner() {
        #expect(parseClientHello(Array("SSH-2.0-OpenSSH_9.2p1\r\n".utf8)).kind == .notThisProtocol)
    }

    @Test func httpConnect() {
        #expect(parseClientHello(Array("CONNECT ssm.us-east-1.amazonaws.com:443 HTTP/1.1\r\n".utf8)).kind == .notThisProtocol)
    }

    @Test func sslv2CompatibleHelloIsReadByTheSSLv2Reader() {
        // A 2-byte SSL 2.0 header, CLIENT-HELLO, version TLS 1.0: a valid prefix of a v2-compatible
        // hello (RFC 5246 E.2), which SSLv2ClientHelloTests reads whole.
        #expect(parseClientHello([0x80, 0x2E, 0x01, 0x03, 0x01]).kind == .needMoreBytes)
        #expect(parseClientHello([0x80, 0x2E, 0x02]).kind == .notThisProtocol)  // CLIENT-MASTER-KEY
    }

    @Test func emptyInputWaits() {
        #expect(parseClientHello([]).kind == .needMoreBytes)
    }

    // MARK: - Mutations

    @Test("any byte of a real hello set to 0x00, 0x01, 0x7F, 0x80 or 0xFF never traps",
          arguments: ["app-clienthello-curl", "app-clienthello-chromium"])
    func mutatedBytesNeverTrap(_ fixture: String) throws {
        let bytes = try AppFixture.bytes(fixture)
        let handshake = TLSTestFraming.handshakeBytes(ofRecords: bytes)
        let multiRecord = TLSTestFraming.records(ofHandshake: handshake, fragmentSize: 300)
        for original in [bytes, multiRecord] {
            var completed = 0
            for index in original.indices {
                for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] where value != original[index] {
                    var mutated = original
                    mutated[index] = value
                    if parseClientHello(mutated).kind == .complete { completed += 1 }
                }
            }
            #expect(completed > 0) // many bytes (random, key shares) carry no structure
        }
    }
}
