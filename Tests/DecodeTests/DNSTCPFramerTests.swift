import Testing
@testable import Decode

// DNS over TCP framing on the server stream recorded from dnsmasq (two length-prefixed responses).

@Suite("DNS-over-TCP framer")
struct DNSTCPFramerTests {
    /// Feeds `chunks` in order; returns the ids of the messages framed and the final state.
    static func frame(_ chunks: [[UInt8]], framer: inout DNSTCPFramer) -> (ids: [UInt16], state: DNSTCPFramer.State) {
        var ids: [UInt16] = []
        var state = DNSTCPFramer.State.needMoreBytes
        for chunk in chunks {
            state = chunk.withUnsafeBytes { raw in
                framer.feed(raw) { message in
                    if let parsed = try? DNSParser.parse(message) { ids.append(parsed.id) }
                }
            }
        }
        return (ids, state)
    }

    static func frame(_ chunks: [[UInt8]]) -> (ids: [UInt16], state: DNSTCPFramer.State) {
        var framer = DNSTCPFramer()
        return frame(chunks, framer: &framer)
    }

    @Test func twoMessagesInOneChunk() throws {
        let stream = try AppFixture.bytes("app-dns-tcp-stream")
        var framer = DNSTCPFramer()
        let result = Self.frame([stream], framer: &framer)
        #expect(result.ids == [0x7401, 0x7402])
        #expect(result.state == .needMoreBytes)
        #expect(framer.messageCount == 2)
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func oneMessageOverThreeChunks() throws {
        let stream = try AppFixture.bytes("app-dns-tcp-stream")
        let firstLength = Int(stream[0]) << 8 | Int(stream[1])
        let first = Array(stream[..<(2 + firstLength)])
        let chunks = [Array(first[..<1]), Array(first[1..<40]), Array(first[40...])]
        var framer = DNSTCPFramer()
        #expect(Self.frame(Array(chunks[..<2]), framer: &framer).ids.isEmpty)
        #expect(framer.bufferedByteCount == 40)
        #expect(Self.frame([chunks[2]], framer: &framer).ids == [0x7401])
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func secondMessageStartsInTheFirstChunk() throws {
        let stream = try AppFixture.bytes("app-dns-tcp-stream")
        let split = stream.count - 30
        #expect(Self.frame([Array(stream[..<split]), Array(stream[split...])]).ids == [0x7401, 0x7402])
    }

    @Test func oneByteDrip() throws {
        let stream = try AppFixture.bytes("app-dns-tcp-stream")
        let result = Self.frame(stream.map { [$0] })
        #expect(result.ids == [0x7401, 0x7402])
        #expect(result.state == .needMoreBytes)
    }

    @Test func everySplitPoint() throws {
        let stream = try AppFixture.bytes("app-dns-tcp-stream")
        for split in 0...stream.count {
            #expect(Self.frame([Array(stream[..<split]), Array(stream[split...])]).ids == [0x7401, 0x7402])
        }
    }

    @Test func lengthShorterThanAHeaderIsGarbage() {
        var framer = DNSTCPFramer()
        #expect(Self.frame([[0x00, 0x05, 1, 2, 3, 4, 5]], framer: &framer).state == .garbage)
        // Later feeds do nothing.
        #expect(Self.frame([[0x00, 0x0C] + [UInt8](repeating: 0, count: 12)], framer: &framer) == ([], .garbage))
    }

    @Test func zeroLengthSplitAcrossChunksIsGarbage() {
        #expect(Self.frame([[0x00], [0x00]]).state == .garbage)
    }

    @Test func httpIsGarbageNotAWait() {
        // "GE" = 0x4745 = 18,245 bytes would be a plausible length; a smaller capacity rejects it.
        var small = DNSTCPFramer(capacity: 4_096)
        #expect(Self.frame([Array("GET / HTTP/1.1\r\n".utf8)], framer: &small).state == .garbage)
    }

    @Test func largestMessageFitsTheDefaultBuffer() {
        var message = [UInt8](repeating: 0, count: 65_535)
        message[0] = 0xAB; message[1] = 0xCD // id
        let stream = [0xFF, 0xFF] + message
        let chunks = stride(from: 0, to: stream.count, by: 1_448).map { Array(stream[$0..<min(stream.count, $0 + 1_448)]) }
        var framer = DNSTCPFramer()
        var sizes: [Int] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { raw in _ = framer.feed(raw) { sizes.append($0.count) } }
        }
        #expect(sizes == [65_535])
        #expect(framer.state == .needMoreBytes)
    }
}
