// pcap_dump_* wrapped once: writing packets to a pcap file.

import CPcap

/// Owns a `pcap_dumper_t` (and the dead `pcap_t` it was opened from); closes both on deinit.
final class PcapDumper {
    private var raw: OpaquePointer?
    /// The dead handle the dumper was opened from; kept alive as long as the dumper.
    private let handle: PcapHandle

    private init(raw: OpaquePointer, handle: PcapHandle) { self.raw = raw; self.handle = handle }

    deinit { if let raw { pcap_dump_close(raw) } }

    /// `pcap_dump_open(handle, path)` (path "-" is standard output).
    static func open(handle: PcapHandle, path: String) -> Result<PcapDumper, PcapMessage> {
        guard let raw = pcap_dump_open(handle.raw, path) else { return .failure(PcapMessage(handle.errorText)) }
        return .success(PcapDumper(raw: raw, handle: handle))
    }

    /// `pcap_dump`: one record (buffered by stdio; errors surface in `flush()`).
    func dump(header: inout pcap_pkthdr, bytes: UnsafePointer<UInt8>) {
        guard let raw else { return }
        pcap_dump(UnsafeMutablePointer<UInt8>(raw), &header, bytes)
    }

    /// `pcap_dump_flush`: false on a write error.
    func flush() -> Bool {
        guard let raw else { return false }
        return pcap_dump_flush(raw) == 0
    }

    /// `pcap_dump_close`; later calls do nothing.
    func close() {
        if let raw { pcap_dump_close(raw) }
        raw = nil
    }
}
