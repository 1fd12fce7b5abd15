import Testing
@testable import Decode

// The server's side of real handshakes recorded on loopback (openssl s_server -www answering curl),
// walked whole, byte by byte, and in odd chunks.

@Suite("TLS server record walker")
struct ServerRecordWalkerTests {
    struct RecordSpan: Equatable { var type: UInt8; var start: Int; var end: Int }

    /// The record layout of a stream, read independently of the walker (for expectations).
    static func records(_ stream: [UInt8]) -> [RecordSpan] {
        var spans: [RecordSpan] = []
        var offset = 0
        while offset + 5 <= stream.count {
            let end = offset + 5 + (Int(stream[offset + 3]) << 8 | Int(stream[offset + 4]))
            spans.append(RecordSpan(type: stream[offset], start: offset, end: end))
            offset = end
        }
        return spans
    }

    static func walk(_ chunks: [[UInt8]]) -> TLSServerEvents {
        var walker = TLSServerRecordWalker()
        for chunk in chunks { chunk.withUnsafeBytes { walker.feed($0) } }
        return walker.events
    }

    static func chunked(_ bytes: [UInt8], by size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min(bytes.count, $0 + size)]) }
    }

    // MARK: - TLS 1.3

    @Test func tls13Handshake() throws {
        let stream = try AppFixture.bytes("app-serverflight-tls13")
        let spans = Self.records(stream)
        #expect(spans.last?.end == stream.count)
        #expect(spans.prefix(2).map(\.type) == [22, 20]) // ServerHello, compatibility CCS, then encrypted
        let events = Self.walk([stream])
        let hello = try #require(events.serverHello)
        #expect(hello == ServerHelloInfo(legacyVersion: 0x0303, selectedVersion: 0x0304, cipherSuite: 0x1302,
                                         isHelloRetryRequest: false))
        #expect(hello.negotiatedVersion == 0x0304)
        #expect(events.handshakeFinished)
        #expect(events.applicationDataRecords == spans.filter { $0.type == 23 }.count)
        #expect(events.alert == nil) // TLS 1.3 alerts after the ServerHello are encrypted
        #expect(!events.notTLS && !events.helloRetryRequested)
    }

    @Test func tls13FinishesOnlyWithTheFirstEncryptedRecord() throws {
        let stream = try AppFixture.bytes("app-serverflight-tls13")
        let firstEncrypted = try #require(Self.records(stream).first { $0.type == 23 })
        let before = Self.walk([Array(stream[..<(firstEncrypted.start + 4)])])
        #expect(before.serverHello != nil && !before.handshakeFinished && before.applicationDataRecords == 0)
        let after = Self.walk([Array(stream[..<(firstEncrypted.start + 5)])])
        #expect(after.handshakeFinished && after.applicationDataRecords == 1)
    }

    // MARK: - TLS 1.2

    @Test func tls12Handshake() throws {
        let stream = try AppFixture.bytes("app-serverflight-tls12")
        let spans = Self.records(stream)
        #expect(spans.last?.end == stream.count)
        let events = Self.walk([stream])
        #expect(events.serverHello == ServerHelloInfo(legacyVersion: 0x0303, selectedVersion: nil, cipherSuite: 0xC02C,
                                                      isHelloRetryRequest: false))
        #expect(events.handshakeFinished)
        let ccs = try #require(spans.firstIndex { $0.type == 20 })
        #expect(events.applicationDataRecords == spans.count - ccs - 1) // everything after the CCS is encrypted
        #expect(events.alert == nil) // the close_notify comes after the CCS: encrypted
        #expect(!events.notTLS)
    }

    @Test func tls12FinishesOnlyWithTheEncryptedFinished() throws {
        let stream = try AppFixture.bytes("app-serverflight-tls12")
        let spans = Self.records(stream)
        let ccs = try #require(spans.firstIndex { $0.type == 20 })
        #expect(spans[ccs + 1].type == 22)
        let firstFlight = Self.walk([Array(stream[..<spans[ccs].start])])
        #expect(firstFlight.serverHello != nil && !firstFlight.handshakeFinished)
        let throughCCS = Self.walk([Array(stream[..<spans[ccs].end])])
        #expect(!throughCCS.handshakeFinished && throughCCS.applicationDataRecords == 0)
        let finished = Self.walk([Array(stream[..<(spans[ccs + 1].start + 5)])])
        #expect(finished.handshakeFinished && finished.applicationDataRecords == 1)
    }

    // MARK: - Alerts

    @Test func protocolVersionAlert() throws {
        let stream = try AppFixture.bytes("app-serverflight-alert")
        #expect(stream == [21, 3, 3, 0, 2, 2, 70])
        let events = Self.walk([stream])
        #expect(events.alert == TLSAlert(level: 2, description: 70)) // fatal protocol_version
        #expect(events.serverHello == nil && !events.handshakeFinished && !events.notTLS)
        #expect(Self.walk(stream.map { [$0] }) == events)
    }

    @Test func alertAfterServerHelloInTLS12IsCleartext() throws {
        let stream = try AppFixture.bytes("app-serverflight-tls12")
        let spans = Self.records(stream)
        let handshakeEnd = spans[0].end
        let events = Self.walk([Array(stream[..<handshakeEnd]), [21, 3, 3, 0, 2, 2, 40]])
        #expect(events.alert == TLSAlert(level: 2, description: 40)) // handshake_failure
    }

    // MARK: - Any split

    @Test("one byte at a time and odd chunks give the same events",
          arguments: ["app-serverflight-tls13", "app-serverflight-tls12"])
    func anySplit(_ fixture: String) throws {
        let stream = try AppFixture.bytes(fixture)
        let whole = Self.walk([stream])
        #expect(Self.walk(stream.map { [$0] }) == whole)
        for size in [2, 3, 5, 7, 100, 1_448] {
            #expect(Self.walk(Self.chunked(stream, by: size)) == whole, "chunks of \(size)")
        }
    }

    // MARK: - HelloRetryRequest (built: OpenSSL's s_server sends one only for a missing group)

    static func serverHello(random: [UInt8], selected: UInt16?, cipher: UInt16 = 0x1301) -> [UInt8] {
        var body: [UInt8] = [3, 3] + random + [32] + [UInt8](repeating: 7, count: 32) + [UInt8(cipher >> 8), UInt8(cipher & 0xFF), 0]
        var extensions: [UInt8] = []
        if let selected { extensions += [0, 43, 0, 2, UInt8(selected >> 8), UInt8(selected & 0xFF)] }
        extensions += [0, 51, 0, 2, 0x00, 0x1D]
        body += TLSTestFraming.u16(extensions.count) + extensions
        let handshake = [2] + TLSTestFraming.u24(body.count) + body
        return TLSTestFraming.records(ofHandshake: handshake, fragmentSize: 16_384, version: 0x0303)
    }

    @Test func helloRetryRequestThenServerHello() throws {
        let hrr = Self.serverHello(random: ServerHelloReader.helloRetryRequestRandom, selected: 0x0304)
        let ccs: [UInt8] = [20, 3, 3, 0, 1, 1]
        let hello = Self.serverHello(random: [UInt8](repeating: 0x11, count: 32), selected: 0x0304)
        let encrypted: [UInt8] = [23, 3, 3, 0, 3, 9, 9, 9]
        let afterRetry = Self.walk([hrr + ccs + encrypted])
        #expect(afterRetry.helloRetryRequested)
        #expect(afterRetry.serverHello?.isHelloRetryRequest == true)
        #expect(!afterRetry.handshakeFinished) // still waiting for the real ServerHello
        let events = Self.walk(Self.chunked(hrr + ccs + hello + encrypted, by: 3))
        #expect(events.helloRetryRequested)
        #expect(events.serverHello?.isHelloRetryRequest == false)
        #expect(events.serverHello?.selectedVersion == 0x0304)
        #expect(events.handshakeFinished)
    }

    @Test func serverHelloSplitOverTwoRecords() throws {
        let record = Self.serverHello(random: [UInt8](repeating: 0x22, count: 32), selected: 0x0304)
        let handshake = TLSTestFraming.handshakeBytes(ofRecords: record)
        let twoRecords = TLSTestFraming.records(ofHandshake: handshake, fragmentSize: 50, version: 0x0303)
        let events = Self.walk([twoRecords + [23, 3, 3, 0, 1, 0]])
        #expect(events.serverHello?.selectedVersion == 0x0304)
        #expect(events.handshakeFinished)
    }

    @Test func tls13Draft18ServerHelloLayout() throws {
        // draft-ietf-tls-tls13-18: version 0x7F12, random, cipher_suite, extensions (no session id).
        var body: [UInt8] = [0x7F, 0x12] + [UInt8](repeating: 0x44, count: 32) + [0x13, 0x01]
        let extensions: [UInt8] = [0, 40, 0, 36, 0, 0x1D, 0, 32] + [UInt8](repeating: 1, count: 32)
        body += TLSTestFraming.u16(extensions.count) + extensions
        let record = TLSTestFraming.records(ofHandshake: [2] + TLSTestFraming.u24(body.count) + body,
                                            fragmentSize: 16_384, version: 0x0301)
        let events = Self.walk([record + [23, 3, 1, 0, 1, 0]])
        #expect(events.serverHello == ServerHelloInfo(legacyVersion: 0x7F12, selectedVersion: nil, cipherSuite: 0x1301,
                                                      isHelloRetryRequest: false))
        #expect(events.handshakeFinished)
    }

    // MARK: - Not TLS

    @Test func httpResponseIsNotTLS() {
        let events = Self.walk([Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8)])
        #expect(events.notTLS && events.serverHello == nil)
        #expect(Self.walk([[0x48]]).notTLS) // decided on the first byte
    }

    @Test func badRecordVersionAndLength() {
        #expect(Self.walk([[22, 2]]).notTLS)
        #expect(Self.walk([[22, 3, 5]]).notTLS)
        #expect(Self.walk([[23, 3, 3, 0x48, 0x01]]).notTLS) // 18,433 bytes
        #expect(!Self.walk([[23, 3, 3, 0x48, 0x00]]).notTLS)
    }

    @Test func firstHandshakeMessageNotAServerHello() {
        #expect(Self.walk([[22, 3, 3, 0, 4, 11, 0, 0, 0]]).notTLS) // Certificate first
    }

    @Test func malformedServerHello() {
        var record = Self.serverHello(random: [UInt8](repeating: 0x33, count: 32), selected: 0x0304)
        record[5 + 4 + 2 + 32] = 33 // session id longer than 32
        #expect(Self.walk([record]).notTLS)
    }

    @Test func garbageAfterTheHandshakeStopsTheWalk() throws {
        let stream = try AppFixture.bytes("app-serverflight-tls13")
        let events = Self.walk([stream, [0x00, 0x01, 0x02]])
        #expect(events.notTLS && events.handshakeFinished)
        let count = events.applicationDataRecords
        var walker = TLSServerRecordWalker()
        (stream + [0x00]).withUnsafeBytes { walker.feed($0) }
        stream.withUnsafeBytes { walker.feed($0) } // ignored after the stop
        #expect(walker.events.applicationDataRecords == count)
    }

    @Test("any byte of a real server flight set to 0x00, 0x17 or 0xFF never traps")
    func mutatedBytesNeverTrap() throws {
        let stream = Array(try AppFixture.bytes("app-serverflight-tls12").prefix(1_500))
        for index in stream.indices {
            for value: UInt8 in [0x00, 0x17, 0xFF] {
                var mutated = stream
                mutated[index] = value
                _ = Self.walk(Self.chunked(mutated, by: 7))
            }
        }
    }
}
