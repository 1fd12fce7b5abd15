import Testing
@testable import Flows
import Decode

// The first-bytes reassembler on its own, then through the engine with the fake ClientHello parser.

@Suite struct StreamReassemblerTests {
    private func insert(_ r: inout StreamReassembler, _ pool: inout ReassemblyWindowPool, seq: UInt32, _ bytes: [UInt8])
        -> ReassemblyInsertOutcome {
        bytes.withUnsafeBytes { r.insert(sequence: seq, payload: $0, pool: &pool) }
    }

    private func contents(_ r: StreamReassembler) -> [UInt8] { r.withContiguousBytes { Array($0) } }

    @Test func inOrderAndOutOfOrder() {
        var pool = ReassemblyWindowPool(windowCapacity: 64)
        var r = StreamReassembler(baseSequence: 100)
        #expect(insert(&r, &pool, seq: 104, [5, 6, 7]) == .heldAhead)
        #expect(r.contiguous == 0 && r.furthest == 7)
        #expect(insert(&r, &pool, seq: 100, [1, 2, 3]) == .advanced)
        #expect(r.contiguous == 3)
        #expect(insert(&r, &pool, seq: 103, [4]) == .advanced)
        #expect(contents(r) == [1, 2, 3, 4, 5, 6, 7])
        #expect(r.segmentsStarting(in: 0, 7) == 3)
    }

    @Test func overlapsKeepTheFirstCopy() {
        var pool = ReassemblyWindowPool(windowCapacity: 64)
        var r = StreamReassembler(baseSequence: 0)
        _ = insert(&r, &pool, seq: 2, [0xC, 0xD])
        // Retransmission covering the held bytes with different content: only the gaps are taken.
        #expect(insert(&r, &pool, seq: 0, [0xA, 0xB, 0xEE, 0xEE, 0xE]) == .advanced)
        #expect(contents(r) == [0xA, 0xB, 0xC, 0xD, 0xE])
        #expect(insert(&r, &pool, seq: 0, [9, 9, 9]) == .nothingNew)
        #expect(r.duplicateSegments == 1)
        #expect(contents(r) == [0xA, 0xB, 0xC, 0xD, 0xE])
        #expect(r.segmentsStarting(in: 0, 5) == 2)
    }

    @Test func sequenceWrapsAround() {
        var pool = ReassemblyWindowPool(windowCapacity: 64)
        var r = StreamReassembler(baseSequence: 0xFFFF_FFFC)
        #expect(insert(&r, &pool, seq: 0x0000_0002, [7, 8]) == .heldAhead)      // past 2^32, ahead of a gap
        #expect(insert(&r, &pool, seq: 0xFFFF_FFFC, [1, 2, 3, 4]) == .advanced)
        #expect(insert(&r, &pool, seq: 0x0000_0000, [5, 6]) == .advanced)
        #expect(contents(r) == [1, 2, 3, 4, 5, 6, 7, 8])
        // Bytes before the window (an old retransmission) are ignored.
        #expect(insert(&r, &pool, seq: 0xFFFF_FFF0, [0, 0, 0, 0]) == .nothingNew)
    }

    @Test func bytesPastTheWindowOverflow() {
        var pool = ReassemblyWindowPool(windowCapacity: 8)
        var r = StreamReassembler(baseSequence: 10)
        #expect(insert(&r, &pool, seq: 10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == .advanced)
        #expect(r.contiguous == 8)
        #expect(r.overflowed)
        #expect(contents(r) == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func segmentsPastAnyTCPWindowAreIgnoredNotAnOverflow() {
        var pool = ReassemblyWindowPool(windowCapacity: 8)
        var r = StreamReassembler(baseSequence: 10)
        #expect(insert(&r, &pool, seq: 10 &+ (1 << 30), [1, 2]) == .nothingNew)
        #expect(insert(&r, &pool, seq: 10 &- (1 << 30), [1, 2]) == .nothingNew)
        #expect(!r.overflowed && r.outOfWindowSegments == 2 && r.duplicateSegments == 0)
        // Just inside the largest window it is still an overflow (a ClientHello longer than the window).
        #expect(insert(&r, &pool, seq: 10 &+ (1 << 30) &- 1, [1, 2]) == .nothingNew)
        #expect(r.overflowed)
    }

    @Test func slidingKeepsHeldBytesAcrossAWordBoundary() {
        var pool = ReassemblyWindowPool(windowCapacity: 256)
        var r = StreamReassembler(baseSequence: 0)
        let head = [UInt8](0..<70)
        _ = insert(&r, &pool, seq: 0, head)
        _ = insert(&r, &pool, seq: 100, [UInt8](100..<140))      // held ahead of a gap at 70..<100
        r.discardPrefix(70)
        #expect(r.contiguous == 0 && r.baseSequence == 70 && r.discarded == 70)
        #expect(insert(&r, &pool, seq: 70, [UInt8](70..<100)) == .advanced)
        #expect(contents(r) == [UInt8](70..<140))
        r.discardPrefix(r.contiguous)
        #expect(insert(&r, &pool, seq: 140, [140]) == .advanced)
        #expect(contents(r) == [140])
    }

    @Test func windowsAreReusedThroughThePool() {
        var pool = ReassemblyWindowPool(windowCapacity: 32)
        for round in 0..<5 {
            var r = StreamReassembler(baseSequence: UInt32(round))
            _ = insert(&r, &pool, seq: UInt32(round) &+ 3, [1, 2, 3])
            #expect(r.contiguous == 0)                       // a fresh window: no stale bits from the last round
            _ = insert(&r, &pool, seq: UInt32(round), [9, 9, 9])
            #expect(contents(r) == [9, 9, 9, 1, 2, 3])
            r.releaseWindow(to: &pool)
        }
        #expect(pool.created == 1)
    }
}

@Suite struct FirstBytesTests {
    let hello = Build.clientHello(sni: "ssm.ap-northeast-1.amazonaws.com", padTo: 300)

    private func onlyFlow(_ h: EngineHarness) throws -> TCPFlowRecord {
        let result = h.finish()
        #expect(result.flows.count == 1)
        return try #require(result.flows.first)
    }

    @Test func inOrderSingleSegment() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let sent = s.clientSends(hello)
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.recordBytes == hello.count)
        #expect(flow.clientHelloCompleted == sent)
        #expect(flow.clientHelloSegments == 1)
        #expect(flow.tls == .clientHelloSent)
        #expect(flow.clientFirstBytesCollected == hello.count)
    }

    @Test func splitInOrderCountsSegments() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        var last: PacketMoment?
        for piece in split(hello, at: [100, 200]) { last = s.clientSends(piece) }
        let flow = try onlyFlow(h)
        #expect(flow.clientHelloSegments == 3)
        #expect(flow.clientHelloCompleted == last)
    }

    @Test func outOfOrderCompletesWhenTheGapFills() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let pieces = split(hello, at: [150])
        s.clientSends(pieces[1], at: 150)
        let filler = s.clientSends(pieces[0], at: 0)
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.serverName == Array(hello[9...]))
        #expect(flow.clientHelloCompleted == filler)
        #expect(flow.clientHelloSegments == 2)
    }

    @Test func oneBytePerSegment() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        for (offset, byte) in hello.enumerated() { s.clientSends([byte], at: offset) }
        let flow = try onlyFlow(h)
        #expect(flow.clientHello != nil)
        #expect(flow.clientHelloSegments == hello.count)
    }

    @Test func reversedOneByteSegments() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        for offset in stride(from: hello.count - 1, through: 0, by: -1) { s.clientSends([hello[offset]], at: offset) }
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.serverName == Array(hello[9...]))
        #expect(flow.clientHelloSegments == hello.count)
    }

    @Test func overlappingRetransmissionWithDifferentContentFirstWins() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let pieces = split(hello, at: [120])
        s.clientSends(pieces[1], at: 120)                               // held ahead
        var forged = hello
        for i in 100..<hello.count { forged[i] = 0x58 }                 // 'X' over bytes 100...
        s.clientSends(Array(forged[0..<200]), at: 0)                    // overlaps the held bytes 120..<200
        let flow = try onlyFlow(h)
        let name = try #require(flow.clientHello?.serverName)
        #expect(Array(name[(100 - 9)..<(120 - 9)]) == [UInt8](repeating: 0x58, count: 20))  // gap filled from the later copy
        #expect(Array(name[(120 - 9)...]) == Array(hello[120...]))                          // held bytes kept: first wins
        #expect(flow.clientHelloSegments == 2)
    }

    @Test func retransmissionsAreCountedNotDuplicated() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let pieces = split(hello, at: [150])
        s.clientSends(pieces[0], at: 0)
        s.clientSends(pieces[0], at: 0)
        s.clientSends(pieces[0], at: 0)
        let done = s.clientSends(pieces[1], at: 150)
        let flow = try onlyFlow(h)
        #expect(flow.clientDuplicateSegments == 2)
        #expect(flow.clientHelloSegments == 2)
        #expect(flow.clientHelloCompleted == done)
    }

    @Test func sequenceWrapAroundAcrossTwoToThe32() throws {
        let h = EngineHarness()
        let s = h.session(clientISN: 0xFFFF_FF00)                       // byte 255 of the stream is at seq 0
        s.handshake()
        for piece in split(hello, at: [200, 260]) { s.clientSends(piece) }
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.serverName == Array(hello[9...]))
        #expect(flow.clientHelloSegments == 3)
    }

    @Test func gapNeverFilledStaysIncomplete() throws {
        let h = EngineHarness()
        let s = h.session()
        s.handshake()
        let pieces = split(hello, at: [100, 200])
        s.clientSends(pieces[0], at: 0)
        s.clientSends(pieces[2], at: 200)
        s.serverRst()
        let flow = try onlyFlow(h)
        #expect(flow.clientHello == nil)
        #expect(flow.clientHelloCompleted == nil)
        #expect(flow.tls == TLSProgress.none)
        #expect(flow.clientFirstBytesCollected == 100)
        #expect(flow.state == .RSTR)
    }

    @Test func limitHitIsCountedAndBuffersFreed() throws {
        var limits = FlowLimits()
        limits.maxFirstBytes = 128
        let h = EngineHarness(limits: limits)
        let s = h.session()
        s.handshake()
        s.clientSends(Array(hello[0..<100]))
        s.clientSends(Array(hello[100..<200]))
        s.clientSends(Array(hello[200...]))
        let result = h.finish()
        let flow = try #require(result.flows.first)
        #expect(flow.firstBytesLimitHit)
        #expect(flow.clientHello == nil)
        #expect(flow.clientFirstBytesCollected == 128)
        #expect(result.counters.firstBytesLimitHit == 1)
    }

    @Test func midstreamFlowStartsAtTheFirstSeenSequence() throws {
        let h = EngineHarness()
        let client = Endpoint(address: Addresses.instance, port: 52_000)
        let server = Endpoint(address: Addresses.publicService, port: 443)
        let pieces = split(hello, at: [50])
        h.wire.tcp(client, server, [.ack, .psh], seq: 123_456, ack: 1, payload: pieces[0])
        h.wire.tcp(client, server, [.ack, .psh], seq: 123_506, ack: 1, payload: pieces[1])
        let flow = try onlyFlow(h)
        #expect(flow.partial)
        #expect(flow.clientHello != nil)
    }

    @Test func plainHTTPIsDecidedOnceTheServerAnswersBeyondThePreambleLimit() throws {
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.publicService, port: 80))
        s.handshake()
        s.clientSends(Array("GET / HTTP/1.1\r\nHost: example\r\n\r\n".utf8))
        #expect(h.engine.pool.inUse == 1)                          // might still turn into TLS (STARTTLS-like)
        s.serverSends(Array("HTTP/1.1 200 OK\r\n\r\n".utf8) + [UInt8](repeating: 0x41, count: 1_100))
        #expect(h.engine.pool.inUse == 0)
        s.clientSends(Array("GET /2 HTTP/1.1\r\n\r\n".utf8))     // header accounting only
        #expect(h.engine.pool.inUse == 0)
        let flow = try onlyFlow(h)
        #expect(flow.tls == TLSProgress.none && flow.clientHello == nil && !flow.firstBytesLimitHit)
    }

    @Test func clientSpeakingOtherProtocolBeyondThePreambleLimitIsNotTLS() throws {
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.publicService, port: 22))
        s.handshake()
        s.clientSends([UInt8](repeating: 0x53, count: 600))
        s.clientSends([UInt8](repeating: 0x53, count: 600))
        #expect(h.engine.pool.inUse == 0)
        let flow = try onlyFlow(h)
        #expect(flow.tls == TLSProgress.none && !flow.firstBytesLimitHit)
    }

    @Test func tlsAfterAnotherProtocolsPreamble() throws {
        // PostgreSQL: SSLRequest (length 8, code 80877103), the server's 'S', then TLS.
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.publicService, port: 5432))
        s.handshake()
        let pieces = split(hello, at: [100])
        s.clientSends([0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F])
        s.serverSends([0x53])
        s.clientSends(pieces[0])
        let done = s.clientSends(pieces[1])
        s.serverSends(Build.serverHello + Build.changeCipherSpec + Build.encrypted)
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.recordBytes == hello.count)
        #expect(flow.clientHelloCompleted == done && flow.clientHelloSegments == 2)
        #expect(flow.tls == .established)
    }

    @Test func preambleAndClientHelloInOneSegment() throws {
        // SOCKS5-like: a short binary opening and the ClientHello in the same segment.
        let h = EngineHarness()
        let s = h.session(server: Endpoint(address: Addresses.publicService, port: 1080))
        s.handshake()
        s.clientSends([0x05, 0x01, 0x00] + hello)
        s.serverSends([0x05, 0x00] + Build.serverHello + Build.changeCipherSpec + Build.encrypted)
        let flow = try onlyFlow(h)
        #expect(flow.clientHello?.recordBytes == hello.count && flow.clientHelloSegments == 1)
        #expect(flow.tls == .established && flow.serverHello != nil)
    }

    @Test func decidedFlowsReturnTheirWindows() throws {
        let h = EngineHarness()
        for port in UInt16(40_000)..<40_020 {
            let s = h.session(client: Endpoint(address: Addresses.instance, port: port))
            s.handshake()
            s.clientSends(hello)
            s.serverSends(Build.serverHello + Build.changeCipherSpec + Build.encrypted)
            s.clientSends(Build.encrypted)                              // after the decision: header accounting only
        }
        #expect(h.engine.pool.created <= 2)                             // one per side, reused by every flow
        let result = h.finish()
        #expect(result.flows.count == 20)
        #expect(result.flows.allSatisfy { $0.tls == .established })
    }

    @Test func serverTalkingAloneIsNotTLSAndNotALimitHit() throws {
        let h = EngineHarness()
        let client = Endpoint(address: Addresses.instance, port: 53_000)
        let server = Endpoint(address: Addresses.publicService, port: 443)
        // Seen mid-stream: a download; the client only acknowledges.
        for i in 0..<20 {
            h.wire.tcp(server, client, [.ack, .psh], seq: 5_000 + UInt32(i * 1_400), ack: 9,
                       payload: [UInt8](repeating: 0x17, count: 1_400))
        }
        #expect(h.engine.pool.inUse == 0)
        let result = h.finish()
        #expect(result.counters.firstBytesLimitHit == 0)
        #expect(result.flows.first?.partial == true && result.flows.first?.firstBytesLimitHit == false)
    }
}
