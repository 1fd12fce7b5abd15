import Testing
@testable import Decode

// Real ClientHellos recorded on loopback by scripts/fixtures/record-clienthellos.sh. The expected
// values are what `tshark -Y tls.handshake.type==1` shows for each recording (the script prints it).

struct RecordedClientHello: Sendable, CustomTestStringConvertible {
    var fixture: String
    var serverName: String?
    var alpn: [String]
    var supportedVersions: [UInt16]
    var keyShareGroups: [UInt16]
    var recordBytes: Int
    var testDescription: String { fixture }
}

let ssmHost = "ssm.us-east-1.amazonaws.com"

let recordedClientHellos: [RecordedClientHello] = [
    // curl 7.88.1 / OpenSSL 3.0.19, --resolve to 127.0.0.1
    RecordedClientHello(fixture: "app-clienthello-curl", serverName: ssmHost, alpn: ["h2", "http/1.1"],
                        supportedVersions: [0x0304, 0x0303, 0x0302, 0x0301], keyShareGroups: [0x001D], recordBytes: 517),
    // openssl s_client -servername
    RecordedClientHello(fixture: "app-clienthello-openssl", serverName: ssmHost, alpn: [],
                        supportedVersions: [0x0304, 0x0303, 0x0302, 0x0301], keyShareGroups: [0x001D], recordBytes: 333),
    // python 3.11 ssl, server_hostname set, ALPN http/1.1
    RecordedClientHello(fixture: "app-clienthello-python", serverName: ssmHost, alpn: ["http/1.1"],
                        supportedVersions: [0x0304, 0x0303], keyShareGroups: [0x001D], recordBytes: 517),
    // aws CLI 1.45 with --endpoint-url https://127.0.0.1:PORT: no SNI for an IP literal
    RecordedClientHello(fixture: "app-clienthello-awscli-ip", serverName: nil, alpn: ["http/1.1"],
                        supportedVersions: [0x0304, 0x0303], keyShareGroups: [0x001D], recordBytes: 517),
    // aws CLI 1.45 with the SSM host name (resolved to loopback inside the process) and AWS_CA_BUNDLE
    RecordedClientHello(fixture: "app-clienthello-awscli", serverName: ssmHost, alpn: ["http/1.1"],
                        supportedVersions: [0x0304, 0x0303], keyShareGroups: [0x001D], recordBytes: 517),
    // Chromium 156 headless: GREASE everywhere, ECH GREASE, X25519MLKEM768 share (1216 bytes) + X25519
    RecordedClientHello(fixture: "app-clienthello-chromium", serverName: ssmHost, alpn: ["h2", "http/1.1"],
                        supportedVersions: [0x0304, 0x0303], keyShareGroups: [0x11EC, 0x001D], recordBytes: 1999),
]

func expectMatches(_ info: ClientHelloInfo?, _ expected: RecordedClientHello, recordCount: Int = 1,
                   recordBytes: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let info else {
        Issue.record("ClientHello did not parse", sourceLocation: sourceLocation)
        return
    }
    #expect(info.serverName == expected.serverName.map { Array($0.utf8) }, sourceLocation: sourceLocation)
    #expect(info.alpn == expected.alpn.map { Array($0.utf8) }, sourceLocation: sourceLocation)
    #expect(info.legacyVersion == 0x0303, sourceLocation: sourceLocation)
    #expect(info.supportedVersions == expected.supportedVersions, sourceLocation: sourceLocation)
    #expect(info.keyShareGroups == expected.keyShareGroups, sourceLocation: sourceLocation)
    #expect(info.recordCount == recordCount, sourceLocation: sourceLocation)
    #expect(info.recordBytes == (recordBytes ?? expected.recordBytes), sourceLocation: sourceLocation)
}

@Suite("ClientHello from real clients")
struct ClientHelloRealClientTests {
    @Test("parses all at once", arguments: recordedClientHellos)
    func allAtOnce(_ expected: RecordedClientHello) throws {
        let bytes = try AppFixture.bytes(expected.fixture)
        #expect(bytes.count == expected.recordBytes)
        expectMatches(parseClientHello(bytes).value, expected)
    }

    @Test("every strict prefix needs more bytes, one byte at a time", arguments: recordedClientHellos)
    func oneByteAtATime(_ expected: RecordedClientHello) throws {
        let bytes = try AppFixture.bytes(expected.fixture)
        for length in 0..<bytes.count {
            let progress = parseClientHello(Array(bytes[..<length])).kind
            guard progress == .needMoreBytes else {
                Issue.record("prefix of \(length) bytes gave \(progress)")
                return
            }
        }
        expectMatches(parseClientHello(bytes).value, expected)
    }

    @Test("re-framed into records of 100 bytes: every prefix waits, the whole parses", arguments: recordedClientHellos)
    func hundredByteRecords(_ expected: RecordedClientHello) throws {
        let handshake = TLSTestFraming.handshakeBytes(ofRecords: try AppFixture.bytes(expected.fixture))
        let records = TLSTestFraming.records(ofHandshake: handshake, fragmentSize: 100)
        let recordCount = (handshake.count + 99) / 100
        #expect(records.count == handshake.count + 5 * recordCount)
        for length in 0..<records.count {
            let progress = parseClientHello(Array(records[..<length])).kind
            guard progress == .needMoreBytes else {
                Issue.record("prefix of \(length) bytes gave \(progress)")
                return
            }
        }
        expectMatches(parseClientHello(records).value, expected, recordCount: recordCount, recordBytes: records.count)
    }

    @Test("a handshake header split across records (3 + rest) still parses")
    func handshakeHeaderSplit() throws {
        let expected = recordedClientHellos[0]
        let handshake = TLSTestFraming.handshakeBytes(ofRecords: try AppFixture.bytes(expected.fixture))
        let records = TLSTestFraming.records(ofHandshake: Array(handshake[..<3]), fragmentSize: 3)
            + TLSTestFraming.records(ofHandshake: Array(handshake[3...]), fragmentSize: 16_384)
        expectMatches(parseClientHello(records).value, expected, recordCount: 2, recordBytes: records.count)
    }

    @Test("bytes after the ClientHello (the next flight) are ignored")
    func trailingBytesIgnored() throws {
        let expected = recordedClientHellos[0]
        let bytes = try AppFixture.bytes(expected.fixture) + [20, 3, 3, 0, 1, 1]
        expectMatches(parseClientHello(bytes).value, expected)
    }

    @Test("Chromium's post-quantum hello: ~2 KB, X25519MLKEM768 offered, as two TCP segments")
    func postQuantum() throws {
        let bytes = try AppFixture.bytes("app-clienthello-chromium")
        #expect(bytes.count > 1_460) // more than one Ethernet-MSS segment
        let info = try #require(parseClientHello(bytes).value)
        #expect(info.offersPostQuantum)
        // As a receiver would see it: the first 1,448-byte segment alone waits for the second.
        #expect(parseClientHello(Array(bytes[..<1_448])).kind == .needMoreBytes)
        // The same hello in 3 records of at most 1,000 bytes still offers it.
        let handshake = TLSTestFraming.handshakeBytes(ofRecords: bytes)
        let reframed = TLSTestFraming.records(ofHandshake: handshake, fragmentSize: 1_000)
        let reparsed = try #require(parseClientHello(reframed).value)
        #expect(reparsed.recordCount == 2)
        #expect(reparsed.offersPostQuantum)
    }

    @Test("the aws CLI's hello to an IP-literal endpoint has no SNI, the other clients' do")
    func awsIPLiteralHasNoSNI() throws {
        let ip = try #require(parseClientHello(try AppFixture.bytes("app-clienthello-awscli-ip")).value)
        #expect(ip.serverName == nil)
        let named = try #require(parseClientHello(try AppFixture.bytes("app-clienthello-awscli")).value)
        #expect(named.serverName == Array(ssmHost.utf8))
    }
}
