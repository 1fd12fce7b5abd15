// The one place that calls libpcap for a capture handle: every `pcap_*` call on a `pcap_t` is
// wrapped here once, its return code turned into a typed result right at the call.

import CPcap

#if canImport(Glibc)
import Glibc
#endif

/// Owns one `pcap_t` and closes it on deinit. Not thread-safe except `breakLoop()`.
final class PcapHandle {
    let raw: OpaquePointer
    /// Timestamps of this handle are in nanoseconds (else microseconds).
    var nanosecondTimestamps: Bool

    private init(raw: OpaquePointer, nanosecondTimestamps: Bool) {
        self.raw = raw
        self.nanosecondTimestamps = nanosecondTimestamps
    }

    deinit { pcap_close(raw) }

    // MARK: - Opening

    /// Bytes of stdio buffer for capture files: libpcap reads through `fread`, and the default
    /// 4 KiB buffer costs one `read` system call per 4 KiB (283,000 for a 1.1 GB capture).
    static let fileBufferSize = 1 << 20

    /// Opens `path` with a large stdio buffer and hands it to
    /// `pcap_fopen_offline_with_tstamp_precision(file, NANO)`, which then owns it (falls back to
    /// `pcap_open_offline_with_tstamp_precision` when `fopen` fails, to get libpcap's message).
    static func openOffline(path: String) -> Result<PcapHandle, PcapMessage> {
        guard let file = fopen(path, "rb") else {
            return withErrorBuffer { errbuf in
                pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), errbuf)
            }.map { PcapHandle(raw: $0, nanosecondTimestamps: true) }
        }
        // Must precede any I/O on the stream; on failure stdio keeps its default buffer.
        _ = setvbuf(file, nil, _IOFBF, fileBufferSize)
        let opened = openOffline(file: file)
        if case .failure = opened { fclose(file) }
        return opened
    }

    /// `pcap_fopen_offline_with_tstamp_precision(file, NANO)`. On success the handle owns `file`
    /// (pcap_close fcloses it); on failure the caller still owns it.
    static func openOffline(file: UnsafeMutablePointer<FILE>) -> Result<PcapHandle, PcapMessage> {
        withErrorBuffer { errbuf in
            pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_NANO), errbuf)
        }.map { PcapHandle(raw: $0, nanosecondTimestamps: true) }
    }

    /// `pcap_create(device)`: a handle to configure, then `activate()`.
    static func create(device: String) -> Result<PcapHandle, PcapMessage> {
        withErrorBuffer { errbuf in pcap_create(device, errbuf) }
            .map { PcapHandle(raw: $0, nanosecondTimestamps: false) }
    }

    /// `pcap_open_dead_with_tstamp_precision(linkType, snaplen, NANO)`: a handle for writing files.
    static func openDead(linkType: LinkType, snapshotLength: Int32) -> PcapHandle? {
        guard let raw = pcap_open_dead_with_tstamp_precision(linkType.rawValue, snapshotLength,
                                                             UInt32(PCAP_TSTAMP_PRECISION_NANO)) else { return nil }
        return PcapHandle(raw: raw, nanosecondTimestamps: true)
    }

    // MARK: - Configuring a live handle (before activate)

    /// Each setter returns 0 or a `PCAP_ERROR_*` code (only `PCAP_ERROR_ACTIVATED` in practice).
    func setSnapshotLength(_ value: Int32) -> Int32 { pcap_set_snaplen(raw, value) }
    func setPromiscuous(_ on: Bool) -> Int32 { pcap_set_promisc(raw, on ? 1 : 0) }
    func setTimeout(milliseconds: Int32) -> Int32 { pcap_set_timeout(raw, milliseconds) }
    func setImmediateMode(_ on: Bool) -> Int32 { pcap_set_immediate_mode(raw, on ? 1 : 0) }
    func setBufferSize(_ bytes: Int32) -> Int32 { pcap_set_buffer_size(raw, bytes) }
    /// Returns 0 when nanosecond timestamps are available, `PCAP_ERROR_TSTAMP_PRECISION_NOTSUP` otherwise.
    func setNanosecondPrecision() -> Int32 {
        pcap_set_tstamp_precision(raw, Int32(PCAP_TSTAMP_PRECISION_NANO))
    }

    /// `pcap_activate`: 0, a positive `PCAP_WARNING_*`, or a negative `PCAP_ERROR_*`, with the
    /// handle's error text for anything but 0.
    func activate() -> (code: Int32, message: String) {
        let code = pcap_activate(raw)
        return (code, code == 0 ? "" : errorText)
    }

    /// `pcap_setnonblock(1)` (after activate): `pcap_next_ex` returns 0 at once when no packet is
    /// buffered. On Linux the read timeout does not bound a blocking read (libpcap 1.10 keeps
    /// polling), so live reads are non-blocking plus `waitForPackets`. Returns libpcap's message on failure.
    func setNonblocking() -> PcapMessage? {
        withErrorBuffer { errbuf in pcap_setnonblock(raw, 1, errbuf) == 0 ? true : nil }.failureMessage
    }

    /// `pcap_get_selectable_fd`, or -1.
    var selectableDescriptor: Int32 { pcap_get_selectable_fd(raw) }

    /// Waits up to `milliseconds` for the capture descriptor to become readable (poll(2)).
    /// Returns without error on timeout or EINTR (a signal): the caller re-checks its stop flag.
    func waitForPackets(milliseconds: Int32) {
        let descriptor = selectableDescriptor
        guard descriptor >= 0 else { return }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, milliseconds)
    }

    /// The precision the handle actually delivers (after activate).
    var deliversNanoseconds: Bool {
        pcap_get_tstamp_precision(raw) == Int32(PCAP_TSTAMP_PRECISION_NANO)
    }

    // MARK: - Filter

    /// `pcap_compile` + `pcap_setfilter` + `pcap_freecode`. Returns libpcap's message on failure.
    func setFilter(_ expression: String, netmask: UInt32 = UInt32(bitPattern: -1)) -> PcapMessage? {
        var program = bpf_program()
        guard pcap_compile(raw, &program, expression, 1, netmask) == 0 else { return PcapMessage(errorText) }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(raw, &program) == 0 else { return PcapMessage(errorText) }
        return nil
    }

    // MARK: - Reading

    /// What `pcap_next_ex` returned.
    enum NextResult {
        /// A packet; header and data stay valid until the next call on this handle.
        case packet(UnsafePointer<pcap_pkthdr>, UnsafePointer<UInt8>)
        /// Live capture: the read timeout expired with no packet (return 0).
        case timeout
        /// Offline: no more packets; live: `pcap_breakloop` was called (PCAP_ERROR_BREAK).
        case end
        /// PCAP_ERROR, with libpcap's message.
        case error(PcapMessage)
    }

    /// `pcap_next_ex`. No allocation on the packet path.
    @inline(__always)
    func next() -> NextResult {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let code = pcap_next_ex(raw, &header, &data)
        switch code {
        case 1:
            guard let header, let data else { return .error(PcapMessage("pcap_next_ex returned no packet")) }
            return .packet(UnsafePointer(header), data)
        case 0: return .timeout
        case PCAP_ERROR_BREAK: return .end
        default: return .error(PcapMessage(errorText))
        }
    }

    /// Converts a pcap header's timestamp to nanoseconds since the epoch.
    @inline(__always)
    func timestamp(of header: UnsafePointer<pcap_pkthdr>) -> Timestamp {
        let seconds = Int64(header.pointee.ts.tv_sec)
        let fraction = Int64(header.pointee.ts.tv_usec)
        return Timestamp(seconds: seconds, nanoseconds: nanosecondTimestamps ? fraction : fraction &* 1_000)
    }

    // MARK: - Facts and control

    /// `pcap_datalink`.
    var linkType: LinkType { LinkType(rawValue: pcap_datalink(raw)) }

    /// `pcap_snapshot`.
    var snapshotLength: Int32 { pcap_snapshot(raw) }

    /// `pcap_stats`: nil when the handle does not support it (offline).
    func statistics() -> pcap_stat? {
        var stats = pcap_stat()
        return pcap_stats(raw, &stats) == 0 ? stats : nil
    }

    /// `pcap_breakloop`: sets a flag (and wakes the poll); safe from a signal handler or another thread.
    func breakLoop() { pcap_breakloop(raw) }

    /// `pcap_geterr`.
    var errorText: String {
        guard let text = pcap_geterr(raw) else { return "" }
        return String(cString: text)
    }

    /// `pcap_datalink_val_to_name`, or `DLT_<n>` when libpcap has no name.
    static func name(of linkType: LinkType) -> String {
        guard let name = pcap_datalink_val_to_name(linkType.rawValue) else { return "DLT_\(linkType.rawValue)" }
        return String(cString: name)
    }

    /// `pcap_lib_version`.
    static var libraryVersion: String { String(cString: pcap_lib_version()) }
}

/// A message from libpcap's error buffer or `pcap_geterr`.
struct PcapMessage: Error {
    var text: String
    init(_ text: String) { self.text = text }
}

extension Result where Failure == PcapMessage {
    var failureMessage: PcapMessage? {
        if case .failure(let message) = self { return message }
        return nil
    }
}

/// Calls `body` with a `PCAP_ERRBUF_SIZE` buffer; nil from `body` becomes the buffer's message.
func withErrorBuffer<T>(_ body: (UnsafeMutablePointer<CChar>) -> T?) -> Result<T, PcapMessage> {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PCAP_ERRBUF_SIZE) + 1) { buffer in
        guard let base = buffer.baseAddress else { return .failure(PcapMessage("no error buffer")) }
        base.initialize(repeating: 0, count: buffer.count)
        if let value = body(base) { return .success(value) }
        return .failure(PcapMessage(String(cString: base)))
    }
}
