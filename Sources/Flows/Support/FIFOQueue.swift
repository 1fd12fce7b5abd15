// A first-in first-out queue for the tracker's time-ordered sweeps (linger, DNS deadlines).

/// A FIFO over one array with a moving head: amortised O(1) append and pop, storage reused.
struct FIFOQueue<Element> {
    private var storage: [Element] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { head >= storage.count }

    /// The oldest element, or nil when empty.
    var first: Element? { head < storage.count ? storage[head] : nil }

    /// `property` of the oldest element, read in place (no copy of the element, so no retain of
    /// what it references); nil when empty.
    @inline(__always)
    func peekFirst<T>(_ property: (Element) -> T) -> T? { head < storage.count ? property(storage[head]) : nil }

    mutating func append(_ element: Element) { storage.append(element) }

    /// Removes and returns the oldest element; nil when empty.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]  // checked above
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1_024 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }
}
extension FIFOQueue: Sendable where Element: Sendable {}
