// Problems met while reading a capture that end reading early or limit it, without failing.

/// A problem met while reading: packets read before it still count.
public enum CaptureWarning: Sendable, Hashable {
    /// The file ends inside a packet record (libpcap: "truncated dump file"). Reading stopped after
    /// `afterPacket` complete packets.
    case truncatedRecord(afterPacket: Int64, detail: String)
    /// A record header is corrupt (impossible length, bad block). Reading stopped after `afterPacket` packets.
    case corruptRecord(afterPacket: Int64, detail: String)
    /// The gzip stream is cut or corrupt. Reading stopped after `afterPacket` packets.
    case gzipStream(afterPacket: Int64, detail: String)
    /// A pcapng interface libpcap cannot read alongside the first: libpcap 1.10 reads one link type per
    /// file and stops at the first packet of an interface whose link type differs ("an interface has a
    /// type N different from the type of the first interface"). Reading stopped after `afterPacket` packets.
    case mixedLinkTypes(afterPacket: Int64, detail: String)
    /// Any other read error reported by libpcap. Reading stopped after `afterPacket` packets.
    case readError(afterPacket: Int64, detail: String)

    /// The number of complete packets read before the problem.
    public var afterPacket: Int64 {
        switch self {
        case .truncatedRecord(let n, _), .corruptRecord(let n, _), .gzipStream(let n, _), .readError(let n, _),
             .mixedLinkTypes(let n, _):
            return n
        }
    }

    /// One line for people, naming the file, the problem and where reading stopped.
    public func message(path: String) -> String {
        let next = afterPacket &+ 1
        switch self {
        case .truncatedRecord(let n, let detail):
            return "\(path): file ends inside packet \(next) (\(detail)); the \(n) packets before it are analyzed; hint: the capture was cut (copy interrupted or disk full)"
        case .corruptRecord(let n, let detail):
            return "\(path): packet record \(next) is corrupt (\(detail)); the \(n) packets before it are analyzed, the rest is skipped; hint: the file was damaged in transfer"
        case .gzipStream(let n, let detail):
            return "\(path): gzip stream damaged at packet \(next) (\(detail)); the \(n) packets before it are analyzed; hint: check it with gzip -t"
        case .mixedLinkTypes(let n, let detail):
            return "\(path): interfaces of different link types (\(detail)); only the \(n) packets before packet \(next) are analyzed; hint: split the file per interface, e.g. tshark -r FILE -Y 'frame.interface_id == 0' -w part0.pcapng"
        case .readError(let n, let detail):
            return "\(path): read error at packet \(next) (\(detail)); the \(n) packets before it are analyzed"
        }
    }
}
