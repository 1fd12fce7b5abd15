import Testing
@testable import Flows

// The record-header arithmetic the handshake tracker uses to avoid re-parsing, to find TLS after a
// preamble, and to find the end of a CONNECT exchange's header block.

@Suite struct TLSRecordFramingTests {
    @Test func clientHelloAppetiteOnEveryPrefixOfARealHello() throws {
        let stream = try fixture("chromium-pq-client-stream")
        let total = 5 + (Int(stream[3]) << 8 | Int(stream[4]))
        for length in 0...total {
            let needed = Array(stream[0..<length]).withUnsafeBytes { TLSRecordFraming.clientHelloBytesNeeded($0, capacity: 16_384) }
            let expected = length < 5 ? 5 : (length < 9 ? 9 : total)
            #expect(needed == expected, "prefix \(length)")
        }
        // A hello claiming more than the window holds: parse now and let the parser judge.
        let huge: [UInt8] = [0x16, 0x03, 0x01, 0xFF, 0xFF, 0x01, 0x00, 0xFF, 0xFB]
        #expect(huge.withUnsafeBytes { TLSRecordFraming.clientHelloBytesNeeded($0, capacity: 16_384) } == nil)
        // Not a handshake record.
        #expect([UInt8]([0x17, 0x03, 0x03, 0, 1, 0]).withUnsafeBytes { TLSRecordFraming.clientHelloBytesNeeded($0, capacity: 100) } == nil)
    }

    @Test func clientHelloAppetiteAcrossRecords() {
        // A 10-byte handshake message split over two records of 6 and 8 bytes.
        let first = Build.record(22, [0x01, 0x00, 0x00, 0x0A, 1, 2])
        let second = Build.record(22, [3, 4, 5, 6, 7, 8, 9, 10])
        let bytes = first + second
        #expect(Array(bytes[0..<first.count]).withUnsafeBytes { TLSRecordFraming.clientHelloBytesNeeded($0, capacity: 100) } == first.count + 5)
        #expect(bytes.withUnsafeBytes { TLSRecordFraming.clientHelloBytesNeeded($0, capacity: 100) } == bytes.count)
    }

    @Test func findsHandshakeRecordsAfterAPreamble() {
        let hello = Build.clientHello(sni: "x")
        let bytes: [UInt8] = [0x05, 0x01, 0x00] + hello
        #expect(bytes.withUnsafeBytes { TLSRecordFraming.findHandshakeRecord(in: $0, from: 0, type: 1) } == 3)
        #expect(bytes.withUnsafeBytes { TLSRecordFraming.findHandshakeRecord(in: $0, from: 4, type: 1) } == nil)
        #expect(bytes.withUnsafeBytes { TLSRecordFraming.findHandshakeRecord(in: $0, from: 0, type: 2) } == nil)
        for length in 0..<(3 + TLSRecordFraming.handshakeRecordPrefix) {
            #expect(Array(bytes[0..<length]).withUnsafeBytes { TLSRecordFraming.findHandshakeRecord(in: $0, from: 0, type: 1) } == nil)
        }
        let server = [0x53] + Build.serverHello
        #expect(server.withUnsafeBytes { TLSRecordFraming.findHandshakeRecord(in: $0, from: 0, type: 2) } == 1)
    }

    @Test func clientRecordScan() {
        let alert = Build.alert(46)
        #expect(alert.withUnsafeBytes { TLSRecordFraming.scanClientRecords($0, from: 0) } == .alert(level: 2, description: 46))
        for length in 0..<alert.count {
            #expect(Array(alert[0..<length]).withUnsafeBytes { TLSRecordFraming.scanClientRecords($0, from: 0) } == .needMoreBytes(resumeAt: 0))
        }
        let handshakeThenAlert = Build.record(22, [0x10, 0, 0, 0]) + alert
        #expect(handshakeThenAlert.withUnsafeBytes { TLSRecordFraming.scanClientRecords($0, from: 0) } == .alert(level: 2, description: 46))
        #expect((Build.changeCipherSpec + alert).withUnsafeBytes { TLSRecordFraming.scanClientRecords($0, from: 0) } == .stop)
        #expect(Build.encrypted.withUnsafeBytes { TLSRecordFraming.scanClientRecords($0, from: 0) } == .stop)
    }

    @Test func headerBlockEnds() {
        func end(_ text: String) -> Int? { Array(text.utf8).withUnsafeBytes { HTTPHeaderBlock.end(in: $0, from: 0) } }
        #expect(end("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\nrest") == 35)
        #expect(end("HTTP/1.0 200 OK\n\nrest") == 17)
        #expect(end("HTTP/1.0 200 OK\r\n\r") == nil)
        #expect(end("HTTP/1.0 200 OK\r\n") == nil)
        let block = Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8)
        for length in 0..<block.count {
            #expect(Array(block[0..<length]).withUnsafeBytes { HTTPHeaderBlock.end(in: $0, from: 0) } == nil)
        }
        #expect(block.withUnsafeBytes { HTTPHeaderBlock.end(in: $0, from: 0) } == block.count)
        #expect(Array("CONNECT".utf8).withUnsafeBytes { HTTPHeaderBlock.mayBeConnect($0) })
        #expect(!Array("CONNECT".utf8.map { $0 | 0x20 }).withUnsafeBytes { HTTPHeaderBlock.mayBeConnect($0) })
        #expect(!Array("GET / HTTP/1.1".utf8).withUnsafeBytes { HTTPHeaderBlock.mayBeConnect($0) })
    }
}
