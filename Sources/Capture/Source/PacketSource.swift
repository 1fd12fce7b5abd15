// The one interface every capture source offers; callers are generic over it (no existentials).

/// What a capture source produced on one call.
public enum CaptureEvent {
    /// A packet; its bytes stay valid until the source is asked again.
    case packet(PacketRecord)
    /// Live capture only: no packet within the read timeout (~200 ms). Print a status line, check
    /// for Ctrl-C, and ask again.
    case idle
    /// No more packets: end of the file(s), or the live capture was stopped.
    case end
}

/// A source of packets: a `CaptureFile`, a `CaptureSet` (files merged in time order) or a
/// `LiveCapture`. Write consumers as generics (`func run<S: PacketSource>(_ source: S)`) so the
/// per-packet call is direct.
public protocol PacketSource: AnyObject {
    /// The next packet, `.idle` after a live read timeout, or `.end`. The packet's bytes are valid
    /// until the next call.
    func nextEvent() -> CaptureEvent
}

extension CaptureFile: PacketSource {
    /// `.packet` or `.end`; never `.idle`.
    @inline(__always)
    public func nextEvent() -> CaptureEvent {
        if let record = next() { return .packet(record) }
        return .end
    }
}
