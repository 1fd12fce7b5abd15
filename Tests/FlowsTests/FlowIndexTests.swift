import Testing
@testable import Flows
import Decode

// FlowIndex (the flow table's key → slot index) against a Dictionary doing the same operations.

@Suite struct FlowIndexTests {
    /// A small universe of keys (IPv4, IPv6 and mixed pairs, shared addresses, many ports), so a run
    /// of operations grows the table, wraps probe runs around its end and removes from inside runs.
    static let keys: [FlowKey] = {
        var keys: [FlowKey] = []
        let v4: [IPAddress] = [.v4(0x0A00_0001), .v4(0x0A00_0002), .v4(0xC000_0201)]
        let v6: [IPAddress] = [.v6(high: 0x2001_0DB8_0000_0000, low: 1), .v6(high: 0, low: 0x0000_FFFF_0A00_0001)]
        for low in v4 + v6 {
            for high in v4 + v6 {
                for port in UInt16(1)...UInt16(40) {
                    keys.append(FlowKey(lowAddress: low, lowPort: port, highAddress: high, highPort: 443))
                }
            }
        }
        return keys
    }()

    @Test("set, remove and lookup agree with a Dictionary over 200,000 random operations")
    func matchesDictionary() {
        var index = FlowIndex()
        var model: [FlowKey: Int32] = [:]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // fixed seed: the run is the same every time
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for step in 0..<200_000 {
            let key = Self.keys[next() % Self.keys.count]
            switch next() % 3 {
            case 0:
                let slot = Int32(truncatingIfNeeded: step)
                index.set(slot, for: key)
                model[key] = slot
            case 1:
                index.remove(key)
                model[key] = nil
            default:
                if index.slot(for: key) != model[key] {
                    Issue.record("step \(step): lookup disagrees for \(key)")
                    return
                }
            }
            if index.count != model.count {
                Issue.record("step \(step): count \(index.count), expected \(model.count)")
                return
            }
        }
        for key in Self.keys where index.slot(for: key) != model[key] {
            Issue.record("final lookup disagrees for \(key)")
            return
        }
    }

    @Test("removing every key leaves an empty index that finds nothing")
    func drain() {
        var index = FlowIndex()
        for (position, key) in Self.keys.enumerated() { index.set(Int32(position), for: key) }
        #expect(index.count == Self.keys.count)
        for (position, key) in Self.keys.enumerated() { #expect(index.slot(for: key) == Int32(position)) }
        for key in Self.keys.reversed() { index.remove(key) }
        #expect(index.count == 0)
        #expect(Self.keys.allSatisfy { index.slot(for: $0) == nil })
        index.remove(Self.keys[0])  // absent: nothing happens
        #expect(index.count == 0)
    }
}
