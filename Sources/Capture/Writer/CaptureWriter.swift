// Writing packets to a pcap file with nanosecond timestamps (live --write, extract).

import CPcap

#if canImport(Glibc)
import Glibc
#endif

/// Writes `PacketRecord`s to a pcap file (magic a1b23c4d: nanosecond timestamps) of one link type.
public final class CaptureWriter {
    public let path: String
    public let linkType: LinkType
    public let snapshotLength: Int32
    /// Records written so far.
    public private(set) var packetsWritten: Int64 = 0

    private let dumper: PcapDumper

    /// Creates (or truncates) `path` and writes the pcap file header. Throws `.writeFailed(.openFailed)`.
    public init(path: String, linkType: LinkType, snapshotLength: Int32 = 262_144) throws(CaptureError) {
        guard let handle = PcapHandle.openDead(linkType: linkType, snapshotLength: snapshotLength) else {
            throw .writeFailed(path: path, reason: .openFailed, detail: "pcap_open_dead failed")
        }
        switch PcapDumper.open(handle: handle, path: path) {
        case .success(let dumper): self.dumper = dumper
        case .failure(let message): throw .writeFailed(path: path, reason: .openFailed, detail: message.text)
        }
        self.path = path
        self.linkType = linkType
        self.snapshotLength = snapshotLength
    }

    /// Appends one record (bytes beyond the snapshot length are cut, as a capture would).
    /// Throws `.writeFailed(.linkTypeMismatch)` for a record of another link type.
    public func write(_ record: PacketRecord) throws(CaptureError) {
        guard record.linkType == linkType else {
            throw .writeFailed(path: path, reason: .linkTypeMismatch,
                               detail: "file is \(PcapHandle.name(of: linkType)), packet \(record.ref.number) is \(PcapHandle.name(of: record.linkType))")
        }
        guard let base = record.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let captured = min(record.bytes.count, Int(max(snapshotLength, 0)))
        let original = max(record.originalLength, captured)
        // Floor division so times before 1970 keep a fraction in 0..<1e9.
        let nanoseconds = record.timestamp.nanoseconds
        var seconds = nanoseconds / 1_000_000_000
        var fraction = nanoseconds % 1_000_000_000
        if fraction < 0 { seconds &-= 1; fraction &+= 1_000_000_000 }
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(truncatingIfNeeded: seconds)
        header.ts.tv_usec = Int(truncatingIfNeeded: fraction)  // nanoseconds: the dead handle is NANO
        header.caplen = UInt32(clamping: captured)
        header.len = UInt32(clamping: original)
        dumper.dump(header: &header, bytes: base)
        packetsWritten &+= 1
    }

    /// Pushes buffered records to the file. Throws `.writeFailed(.ioError)`.
    public func flush() throws(CaptureError) {
        guard dumper.flush() else { throw .writeFailed(path: path, reason: .ioError, detail: String(cString: strerror(errno))) }
    }

    /// Flushes and closes the file; the writer must not be used afterwards.
    public func close() throws(CaptureError) {
        defer { dumper.close() }
        try flush()
    }
}
