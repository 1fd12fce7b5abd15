import Testing
@testable import Flows
import Decode

// TLS handshake progress, alerts and CONNECT tunnels, through the engine with the fake parsers;
// then the same logic on real recorded streams (the fakes read the real record framing).

@Suite struct HandshakeTests {
    let hello = Build.clientHello(sni: "ssm.us-east-1.amazonaws.com", padTo: 400)

    @Test func serverHelloThenEncryptedRecordIsEstablished() throws {
        let h = EngineHarness()
        let s = h.session()
        let synMoment = s.syn(); s.synAck(); s.ack()
        s.clientSends(hello)
        let helloAt = s.serverSends(Build.serverHello)
        let doneAt = s.serverSends(Build.changeCipherSpec + Build.encrypted)
        let flow = try #require(h.finish().flows.first)
        #expect(flow.tls == .established)
        #expect(flow.serverHello != nil && flow.serverHelloAt == helloAt)
        #expect(flow.establishedAt == doneAt)
        #expect(flow.alert == nil)
        let expected = Double(doneAt.time.nanoseconds(since: synMoment.time)) / 1_000_000
        #expect(flow.handshakeMilliseconds == expected)
    }

    @Test func serverBytesBeforeTheClientHelloCompletesAreHeldInOrder() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let pieces = split(hello, at: [200])
        s.clientSends(pieces[0])
        let server = Build.serverHello + Build.changeCipherSpec + Build.encrypted
        let serverPieces = split(server, at: [3])
        s.serverSends(serverPieces[1], at: 3)                       // out of order on the server side too
        s.serverSends(serverPieces[0], at: 0)
        s.clientSends(pieces[1])
        let flow = try #require(h.finish().flows.first)
        #expect(flow.clientHello != nil)
        #expect(flow.tls == .established)
    }

    @Test func serverAlertEndsTheHandshake() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        s.clientSends(hello)
        let alertAt = s.serverSends(Build.alert(40))                // handshake_failure
        s.serverFin()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.tls == .alert)
        #expect(flow.alert == TLSAlert(level: 2, description: 40))
        #expect(flow.alertFromServer && flow.alertAt == alertAt)
    }

    @Test func clientAlertAfterServerHelloIsCaptured() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        s.clientSends(hello)
        s.serverSends(Build.serverHello)                            // TLS 1.2 style: certificate etc. still to come
        let alertAt = s.clientSends(Build.alert(48))                // unknown_ca, in the clear
        let flow = try #require(h.finish().flows.first)
        #expect(flow.tls == .alert)
        #expect(flow.alert == TLSAlert(level: 2, description: 48))
        #expect(!flow.alertFromServer && flow.alertAt == alertAt)
        #expect(flow.serverHello != nil)
    }

    @Test func clientRecordsTurningEncryptedStopTheClientWatch() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        s.clientSends(hello + Build.changeCipherSpec)
        s.clientSends(Build.record(21, [1, 0]))                     // would look like an alert, but after CCS
        let flow = try #require(h.finish().flows.first)
        #expect(flow.alert == nil && flow.tls == .clientHelloSent)
    }

    @Test func connectTunnelThenTLS() throws {
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.otherPublic, port: 3128))
        s.handshake()
        let request = Array("CONNECT ssm.us-east-1.amazonaws.com:443 HTTP/1.1\r\nHost: ssm.us-east-1.amazonaws.com:443\r\n\r\n".utf8)
        let requestPieces = split(request, at: [10])
        s.clientSends(requestPieces[0]); s.clientSends(requestPieces[1])
        s.serverSends(Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
        let helloPieces = split(hello, at: [150])
        s.clientSends(helloPieces[0])
        let helloDone = s.clientSends(helloPieces[1])
        s.serverSends(Build.serverHello + Build.changeCipherSpec)
        let established = s.serverSends(Build.encrypted)
        let flow = try #require(h.finish().flows.first)
        #expect(flow.connect == ConnectRequest(host: Array("ssm.us-east-1.amazonaws.com".utf8), port: 443))
        #expect(flow.connectStatus == 200)
        #expect(flow.clientHello?.recordBytes == hello.count)
        #expect(flow.clientHelloCompleted == helloDone && flow.clientHelloSegments == 2)
        #expect(flow.tls == .established && flow.establishedAt == established)
    }

    @Test func connectRefusedByTheProxy() throws {
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.otherPublic, port: 3128))
        s.handshake()
        s.clientSends(Array("CONNECT ssm.us-east-1.amazonaws.com:443 HTTP/1.1\r\n\r\n".utf8))
        s.serverSends(Array("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n".utf8))
        s.serverFin()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.connect != nil && flow.connectStatus == 407)
        #expect(flow.tls == TLSProgress.none && flow.clientHello == nil)
    }

    @Test func serverSpeakingGarbageIsNotTLS() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        s.clientSends(hello)
        s.serverSends(Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8))
        let flow = try #require(h.finish().flows.first)
        #expect(flow.tls == .clientHelloSent && flow.serverHello == nil)
    }

    @Test func serverWalkIsBounded() throws {
        var limits = FlowLimits()
        limits.maxFirstBytes = 256                                  // the server may walk 4 × 256 bytes
        let h = EngineHarness(limits: limits)
        let s = h.session()
        s.handshake()
        s.clientSends(Build.clientHello(sni: "x"))
        for _ in 0..<6 { s.serverSends(Build.record(22, [UInt8](repeating: 0x0B, count: 200))) }  // never a ServerHello
        let result = h.finish()
        #expect(result.flows.first?.firstBytesLimitHit == true)
        #expect(result.counters.firstBytesLimitHit == 1)
    }

    // MARK: - Real recorded streams, driven through the fake parsers

    private func replay(client clientStream: [UInt8], server serverStream: [UInt8], clientHelloEnd: Int,
                        clientSplit: [Int], serverPort: UInt16 = 443) throws -> TCPFlowRecord {
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.publicService, port: serverPort))
        s.handshake()
        for piece in split(Array(clientStream[0..<clientHelloEnd]), at: clientSplit) { s.clientSends(piece) }
        for piece in split(serverStream, at: [100, 700]) { s.serverSends(piece) }
        s.clientSends(Array(clientStream[clientHelloEnd...]))
        return try #require(h.finish().flows.first)
    }

    @Test func realChromiumPostQuantumClientHelloInTwoSegments() throws {
        let client = try fixture("chromium-pq-client-stream")
        let recordLength = Int(client[3]) << 8 | Int(client[4])
        let flow = try replay(client: client, server: try fixture("chromium-pq-server-stream"),
                              clientHelloEnd: 5 + recordLength, clientSplit: [1_448])
        #expect(flow.clientHello?.recordBytes == 5 + recordLength)
        #expect(flow.clientHelloSegments == 2)
        #expect(flow.tls == .established)
    }

    @Test func realCurlTLS12Handshake() throws {
        let client = try fixture("curl-tls12-client-stream")
        let recordLength = Int(client[3]) << 8 | Int(client[4])
        let flow = try replay(client: client, server: try fixture("curl-tls12-server-stream"),
                              clientHelloEnd: 5 + recordLength, clientSplit: [50, 51])
        #expect(flow.clientHelloSegments == 3)
        #expect(flow.tls == .established)                           // after the server's CCS + Finished
    }
    @Test func realCurlThroughTinyproxy() throws {
        let client = try fixture("curl-connect-client-stream")
        let server = try fixture("curl-connect-server-stream")
        let requestEnd = try #require(client.withUnsafeBytes { HTTPHeaderBlock.end(in: $0, from: 0) })
        let responseEnd = try #require(server.withUnsafeBytes { HTTPHeaderBlock.end(in: $0, from: 0) })
        let helloEnd = requestEnd + 5 + (Int(client[requestEnd + 3]) << 8 | Int(client[requestEnd + 4]))
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.otherPublic, port: 18_888))
        s.handshake()
        s.clientSends(Array(client[0..<requestEnd]))
        s.serverSends(Array(server[0..<(responseEnd + 10)]))          // the response and the start of the ServerHello
        s.clientSends(Array(client[requestEnd..<(requestEnd + 300)]))
        let helloDone = s.clientSends(Array(client[(requestEnd + 300)..<helloEnd]))
        s.serverSends(Array(server[(responseEnd + 10)...]))
        let flow = try #require(h.finish().flows.first)
        #expect(flow.connect == ConnectRequest(host: Array("127.0.0.1".utf8), port: 18_443))
        #expect(flow.connectStatus == 200)
        #expect(flow.clientHello?.recordBytes == helloEnd - requestEnd)
        #expect(flow.clientHelloCompleted == helloDone && flow.clientHelloSegments == 2)
        #expect(flow.tls == .established)
    }

    @Test func serverAcknowledgementShowsAClientHelloThatNeverFullyArrived() throws {
        // The post-quantum case: the second segment of a large ClientHello is dropped on the path;
        // the client retransmits it, the server keeps acknowledging only the first.
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let hello = Build.clientHello(sni: "ssm.ap-northeast-1.amazonaws.com", padTo: 1_899)
        let pieces = split(hello, at: [1_448])
        s.clientSends(pieces[0])
        s.clientSends(pieces[1])
        h.wire.tcp(s.server, s.client, .ack, seq: s.serverISN &+ 1, ack: s.clientISN &+ 1 &+ 1_448)
        for _ in 0..<3 {
            h.wire.advance(0.4)
            s.clientSends(pieces[1], at: 1_448)
        }
        s.clientRst()
        let flow = try #require(h.finish().flows.first)
        #expect(flow.clientHello?.recordBytes == 1_899)
        #expect(flow.clientHelloSegments == 2)
        #expect(flow.clientBytesAckedByServer == 1_448)
        #expect(flow.clientDuplicateSegments == 3)               // the three retransmissions of the second segment
        #expect(flow.state == .RSTO)
    }
}
