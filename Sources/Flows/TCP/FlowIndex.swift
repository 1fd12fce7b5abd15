import Decode

// The per-packet lookup from a flow's key to its slot in the flow table.

/// An open-addressing hash index from `FlowKey` to a slot number.
///
/// Linear probing over a power-of-two bucket array kept at most half full; removal shifts the
/// following run back (no tombstones), so a lookup reads one or two buckets in practice.
/// The hash is a folded 64 × 64 → 128-bit multiply of the key's words, keyed by a random seed per
/// index: a few instructions instead of SipHash (the standard `Hasher`), and a capture cannot be
/// built to make keys collide without knowing the seed. Storage grows by doubling on insert only,
/// so lookups and removals never allocate.
struct FlowIndex {
    private struct Bucket {
        var key: FlowKey
        /// The slot, or -1 for an empty bucket.
        var slot: Int32
    }

    private static let emptyKey = FlowKey(lowAddress: .v4(0), lowPort: 0, highAddress: .v4(0), highPort: 0)
    private var buckets: [Bucket]
    private var mask: Int
    private(set) var count = 0
    private let seed0: UInt64
    private let seed1: UInt64

    init() {
        buckets = Array(repeating: Bucket(key: Self.emptyKey, slot: -1), count: 64)
        mask = 63
        var generator = SystemRandomNumberGenerator()
        seed0 = generator.next()
        seed1 = generator.next() | 1
    }

    // MARK: - Lookup

    /// The slot stored for `key`, or nil.
    @inline(__always)
    func slot(for key: FlowKey) -> Int32? {
        let mask = self.mask
        var position = Self.home(of: key, seed0: seed0, seed1: seed1, mask: mask)
        return buckets.withUnsafeBufferPointer { buckets in
            while true {
                let bucket = buckets[position]  // position <= mask < buckets.count
                if bucket.slot < 0 { return nil }
                if bucket.key == key { return bucket.slot }
                position = (position &+ 1) & mask
            }
        }
    }

    // MARK: - Changes

    /// Stores `slot` for `key`, replacing any slot stored for it.
    mutating func set(_ slot: Int32, for key: FlowKey) {
        if (count &+ 1) &* 2 > buckets.count { grow() }
        let mask = self.mask
        var position = Self.home(of: key, seed0: seed0, seed1: seed1, mask: mask)
        let added: Bool = buckets.withUnsafeMutableBufferPointer { buckets in
            while buckets[position].slot >= 0 && buckets[position].key != key { position = (position &+ 1) & mask }
            let added = buckets[position].slot < 0
            buckets[position] = Bucket(key: key, slot: slot)
            return added
        }
        if added { count &+= 1 }
    }

    /// Removes `key` (nothing happens when it is absent).
    mutating func remove(_ key: FlowKey) {
        let mask = self.mask, seed0 = self.seed0, seed1 = self.seed1
        var position = Self.home(of: key, seed0: seed0, seed1: seed1, mask: mask)
        let removed: Bool = buckets.withUnsafeMutableBufferPointer { buckets in
            while true {
                if buckets[position].slot < 0 { return false }
                if buckets[position].key == key { break }
                position = (position &+ 1) & mask
            }
            // Backward shift: move each later entry of the run into the hole unless its home
            // bucket lies cyclically in (hole, entry], from where a probe still reaches it.
            var hole = position
            var next = (hole &+ 1) & mask
            while buckets[next].slot >= 0 {
                let home = Self.home(of: buckets[next].key, seed0: seed0, seed1: seed1, mask: mask)
                let reachable = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
                if !reachable {
                    buckets[hole] = buckets[next]
                    hole = next
                }
                next = (next &+ 1) & mask
            }
            buckets[hole] = Bucket(key: Self.emptyKey, slot: -1)
            return true
        }
        if removed { count &-= 1 }
    }

    private mutating func grow() {
        let old = buckets
        let capacity = old.count &* 2
        buckets = Array(repeating: Bucket(key: Self.emptyKey, slot: -1), count: capacity)
        mask = capacity &- 1
        count = 0
        for bucket in old where bucket.slot >= 0 { set(bucket.slot, for: bucket.key) }
    }

    // MARK: - Hash

    /// The bucket where a probe for `key` starts.
    @inline(__always)
    private static func home(of key: FlowKey, seed0: UInt64, seed1: UInt64, mask: Int) -> Int {
        let ports = UInt64(key.lowPort) << 16 | UInt64(key.highPort)
        let hash: UInt64
        switch (key.lowAddress, key.highAddress) {
        case (.v4(let low), .v4(let high)):
            hash = fold((UInt64(low) << 32 | UInt64(high)) ^ seed0, ports ^ seed1)
        default:
            let (lowHigh, lowLow) = words(key.lowAddress)
            let (highHigh, highLow) = words(key.highAddress)
            hash = fold(lowHigh ^ seed0, lowLow ^ seed1) ^ fold(highHigh ^ seed1, highLow ^ ports ^ seed0)
        }
        return Int(truncatingIfNeeded: hash) & mask
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func words(_ address: IPAddress) -> (UInt64, UInt64) {
        switch address {
        case .v4(let value): (UInt64(value), 0x8000_0000_0000_0004)  // not the words of any mapped IPv6 address
        case .v6(let high, let low): (high, low)
        }
    }
}
