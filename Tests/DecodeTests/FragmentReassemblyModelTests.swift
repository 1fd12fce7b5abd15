import Testing
import Capture
@testable import Decode

// MARK: - Reassembly against a byte-map model, on random fragment sets

/// Deterministic generator so failures replay.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FragmentReassemblyModelTests {
    /// Random fragments (random offsets, lengths, order, duplicates, overlaps whose bytes differ) of a UDP
    /// datagram. The model keeps the first byte received at each offset; the decoder must return the
    /// model's bytes exactly when the model is complete, and nothing before.
    @Test(arguments: 0..<200)
    func randomFragmentSetsMatchTheFirstArrivalModel(seed: Int) throws {
        var random = SplitMix64(state: UInt64(seed) &* 7919 &+ 1)
        let length = Int.random(in: 16...400, using: &random)
        let truth = Build.udp(src: 1000, dst: 53, payload: (0..<(length - 8)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var model = [UInt8?](repeating: nil, count: length)
        var sawLast = false
        var limits = DecodeLimits()
        limits.maxFragmentsPerDatagram = 1_000  // the model has no limit
        var decoder = PacketDecoder(limits: limits)
        for step in 0..<200 {
            var start = Int.random(in: 0...((length - 1) / 8), using: &random) * 8
            let ends = Array(stride(from: start + 8, to: length, by: 8)) + [length]
            var end = ends.randomElement(using: &random) ?? length
            if step >= 40 {
                // After 40 random fragments, fill the first hole (or send the last piece) so every seed completes.
                if let hole = model.firstIndex(where: { $0 == nil }) {
                    start = hole / 8 * 8
                } else {
                    start = (length - 1) / 8 * 8
                }
                end = min(start + 8, length)
            }
            if start == 0 && end == length { continue }  // that would be a whole datagram, not a fragment
            let variant = UInt8.random(in: 1...255, using: &random)
            let altered = Bool.random(using: &random)
            // Bytes past the UDP header may differ between overlapping fragments.
            let data = (start..<end).map { i in altered && i >= 8 ? truth[i] ^ variant : truth[i] }
            let frame = Build.ipv4(proto: 17, payload: data, id: 0x4242, moreFragments: end < length, fragmentOffset: start)
            for (i, byte) in zip(start..<end, data) where model[i] == nil { model[i] = byte }
            if end == length { sawLast = true }
            let complete = sawLast && model.allSatisfy { $0 != nil }
            let decoded = decoder.decodeBytes(frame, linkType: .raw)
            if complete {
                let packet = try #require(decoded, "seed \(seed) step \(step)")
                #expect(packet.payload == model[8...].compactMap { $0 }, "seed \(seed)")
                #expect(decoder.pendingFragmentedDatagrams == 0)
                return
            }
            #expect(decoded == nil, "seed \(seed) step \(step): completed early")
        }
        Issue.record("seed \(seed): never completed")
    }

    /// Random bytes written over valid frames of every link type: never a trap, and what comes out is
    /// consistent (captured payload never longer than claimed).
    @Test func mutatedFramesNeverTrap() {
        var random = SplitMix64(state: 0x5EED)
        var decoder = PacketDecoder()
        var decodedCount = 0
        for _ in 0..<400 {
            for (linkType, frame, _) in PacketDecoderTests.framesOfEveryLinkType {
                var bytes = frame
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
                if Bool.random(using: &random) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random))) }
                if let packet = decoder.decodeBytes(bytes, linkType: linkType, originalLength: frame.count) {
                    decodedCount += 1
                    #expect(packet.payload.count <= packet.payloadLength)
                    #expect(packet.frameLength == frame.count)
                }
            }
        }
        #expect(decodedCount > 0)
    }
}

