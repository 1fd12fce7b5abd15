import Testing
@testable import Decode

// CONNECT requests from curl and the aws CLI, and tinyproxy's status lines, recorded on loopback by
// scripts/fixtures/record-connect.sh; plus hand-made malformed requests.

func parseConnect(_ bytes: [UInt8]) -> ParseProgress<ConnectRequest> {
    bytes.withUnsafeBytes { HTTPConnectParser.parseRequest($0) }
}

func parseStatus(_ bytes: [UInt8]) -> ParseProgress<Int> {
    bytes.withUnsafeBytes { HTTPConnectParser.parseResponseStatus($0) }
}

@Suite("HTTP CONNECT")
struct HTTPConnectParserTests {
    static let recorded: [(fixture: String, host: String)] = [
        ("app-connect-request-curl", "ssm.us-east-1.amazonaws.com"),     // curl 7.88.1, HTTP/1.1 + headers
        ("app-connect-request-awscli", "ssm.us-east-1.amazonaws.com"),   // aws CLI 1.45 (urllib3), HTTP/1.0
        ("app-connect-request-curl-ipv6", "fd00:ec2::253"),              // IPv6 literal in brackets
    ]

    @Test("recorded requests parse whole; every strict prefix waits", arguments: 0..<3)
    func recordedRequest(_ index: Int) throws {
        let (fixture, host) = Self.recorded[index]
        let bytes = try AppFixture.bytes(fixture)
        let request = try #require(parseConnect(bytes).value)
        #expect(request == ConnectRequest(host: Array(host.utf8), port: 443))
        for length in 0..<bytes.count {
            let progress = parseConnect(Array(bytes[..<length])).kind
            guard progress == .needMoreBytes else {
                Issue.record("prefix of \(length) bytes gave \(progress)")
                return
            }
        }
    }

    @Test func tinyproxyEstablished() throws {
        let bytes = try AppFixture.bytes("app-connect-response-tinyproxy-200")
        #expect(parseStatus(bytes).value == 200)
        // The code is known once "HTTP/1.0 200" and the byte after it are here.
        #expect(parseStatus(Array(bytes[..<12])).kind == .needMoreBytes)
        #expect(parseStatus(Array(bytes[..<13])).value == 200)
        for length in 0..<13 { #expect(parseStatus(Array(bytes[..<length])).kind == .needMoreBytes) }
    }

    @Test func tinyproxyRefused() throws {
        #expect(parseStatus(try AppFixture.bytes("app-connect-response-tinyproxy-403")).value == 403)
    }

    @Test func proxyAuthenticationRequiredWithoutReason() {
        #expect(parseStatus(Array("HTTP/1.1 407\r\n\r\n".utf8)).value == 407)
    }

    @Test func statusLinesThatAreNot() {
        #expect(parseStatus(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8)).kind == .notThisProtocol)
        #expect(parseStatus([0x16, 3, 3]).kind == .notThisProtocol)            // a TLS record
        #expect(parseStatus(Array("HTTP/2 200\r\n".utf8)).kind == .notThisProtocol)
        #expect(parseStatus(Array("HTTP/1.1 20x ".utf8)).kind == .notThisProtocol)
        #expect(parseStatus(Array("HTTP/1.1  200".utf8)).kind == .notThisProtocol)
        #expect(parseStatus(Array("HTTP/1.1 2000".utf8)).kind == .notThisProtocol)
    }

    // MARK: - Requests that are not CONNECT

    @Test func otherProtocolsFailOnTheFirstByte() {
        #expect(parseConnect(Array("G".utf8)).kind == .notThisProtocol)
        #expect(parseConnect([0x16]).kind == .notThisProtocol)
        #expect(parseConnect(Array("SSH-2.0".utf8)).kind == .notThisProtocol)
        #expect(parseConnect(Array("C".utf8)).kind == .needMoreBytes)
        #expect(parseConnect(Array("CONNEX".utf8)).kind == .notThisProtocol)
        #expect(parseConnect(Array("connect ".utf8)).kind == .notThisProtocol) // the method is case-sensitive
        #expect(parseConnect([]).kind == .needMoreBytes)
    }

    @Test func getThroughAProxyIsNotConnect() {
        #expect(parseConnect(Array("GET http://ssm.us-east-1.amazonaws.com/ HTTP/1.1\r\n\r\n".utf8)).kind == .notThisProtocol)
    }

    // MARK: - Malformed request lines

    @Test(arguments: [
        "CONNECT ssm.us-east-1.amazonaws.com HTTP/1.1\r\n\r\n",        // no port
        "CONNECT ssm.us-east-1.amazonaws.com:0 HTTP/1.1\r\n\r\n",      // port 0
        "CONNECT ssm.us-east-1.amazonaws.com:70000 HTTP/1.1\r\n\r\n",  // port too big
        "CONNECT ssm.us-east-1.amazonaws.com:44x HTTP/1.1\r\n\r\n",    // not a number
        "CONNECT :443 HTTP/1.1\r\n\r\n",                               // no host
        "CONNECT a:b:443 HTTP/1.1\r\n\r\n",                            // colon in a name
        "CONNECT [fd00::1:443 HTTP/1.1\r\n\r\n",                       // unclosed bracket
        "CONNECT []:443 HTTP/1.1\r\n\r\n",                             // empty literal
        "CONNECT ssm.us-east-1.amazonaws.com:443 HTTP/2.0\r\n\r\n",    // not HTTP/1.x
        "CONNECT ssm.us-east-1.amazonaws.com:443\r\n\r\n",             // no version
        "CONNECT ssm.us-east-1.amazonaws.com:443 HTTP/1.1 x\r\n\r\n",  // extra words
    ])
    func malformedRequestLine(_ text: String) {
        #expect(parseConnect(Array(text.utf8)).kind == .notThisProtocol)
        // Decided as soon as the request line ends, without waiting for the header block.
        let line = Array(text.utf8.prefix { $0 != UInt8(ascii: "\n") }) + [UInt8(ascii: "\n")]
        #expect(parseConnect(line).kind == .notThisProtocol)
    }

    @Test func bareLineFeedsAreAccepted() {
        #expect(parseConnect(Array("CONNECT 10.0.1.25:443 HTTP/1.1\nHost: x\n\n".utf8)).value
                == ConnectRequest(host: Array("10.0.1.25".utf8), port: 443))
    }

    @Test func headerBlockOver8KiBIsNotHTTP() {
        let start = Array("CONNECT ssm.us-east-1.amazonaws.com:443 HTTP/1.1\r\n".utf8)
        var bytes = start
        while bytes.count < HTTPConnectParser.maxHeaderBytes { bytes += Array("X-Padding: 0123456789abcdef\r\n".utf8) }
        #expect(parseConnect(Array(bytes[..<(HTTPConnectParser.maxHeaderBytes - 1)])).kind == .needMoreBytes)
        #expect(parseConnect(bytes).kind == .notThisProtocol)
        #expect(parseConnect(start + [UInt8](repeating: 0x61, count: 9_000)).kind == .notThisProtocol)
    }

    @Test func bytesAfterTheHeaderBlockAreIgnored() {
        let bytes = Array("CONNECT ssm.us-east-1.amazonaws.com:443 HTTP/1.1\r\n\r\n".utf8) + [0x16, 3, 1, 2, 0]
        #expect(parseConnect(bytes).value?.port == 443)
    }
}
