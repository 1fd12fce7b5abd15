// Capturing on a network interface: pcap_create, options, activate, filter, timeout-based reads.

import CPcap
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A live capture on one interface. `nextEvent()` returns a packet, `.idle` after the read timeout
/// (~200 ms), or `.end` once stopped, or once the interface went down or away (see `failure`);
/// `stop()` may be called from any thread.
///
/// Reads are non-blocking (`pcap_setnonblock`) with a poll(2) of at most `timeoutMilliseconds` when
/// nothing is buffered: libpcap 1.10's own read timeout does not make a blocking read return on
/// Linux when no packet arrives.
public final class LiveCapture: PacketSource {
    /// The default BPF filter: what ssmpath needs, and little else.
    /// - `tcp`: every TCP connection, any port (HTTPS 443, proxies on 3128/8080, DNS over TCP).
    /// - `udp port 53`: DNS over UDP (first fragments carry the UDP header, so they match too).
    /// - `icmp`: unreachables, "fragmentation needed" (path-MTU trouble with large ClientHellos).
    /// - `ip[6:2] & 0x1fff != 0`: IPv4 non-first fragments (fragment offset ≠ 0), which carry no
    ///   port: a large DNS answer over UDP arrives in pieces.
    /// - `ip6 and not ip6 proto 6 and not ip6 proto 17`: IPv6 packets whose first next-header is
    ///   neither TCP nor UDP: fragments (44), extension headers, ICMPv6. BPF cannot see ports behind
    ///   extension headers, so these are kept and decoded in software.
    public static let defaultFilter =
        "tcp or udp port 53 or icmp or (ip[6:2] & 0x1fff != 0) or (ip6 and not ip6 proto 6 and not ip6 proto 17)"

    public let options: LiveCaptureOptions
    /// Facts of the capture so far (`format.name` is reported as `live` by the CLI).
    public private(set) var info: CaptureFileInfo
    /// Non-fatal problems from `pcap_activate` (promiscuous mode unsupported, ...), one line each.
    public private(set) var activationWarnings: [String] = []
    /// The error that ended the capture, if one did (interface gone, ...).
    public private(set) var failure: String?

    private let handle: PcapHandle
    /// The link type of every packet (libpcap reads one per file or interface).
    public let linkType: LinkType
    private let stopRequested: StopFlag
    private var finished = false
    /// When draining after `stop()` must end (monotonic nanoseconds).
    private var drainDeadline: Int64?
    /// Whether idle reads check that the interface is still up: only for a real interface that was
    /// up at the start (not `any`, nor pseudo-devices such as `nflog`, which SIOCGIFFLAGS does not know).
    private let watchesInterface: Bool

    // MARK: - Opening

    /// Opens and activates a capture. Throws `.noSuchInterface`, `.liveOpenFailed` (with a hint about
    /// root or `setcap`), or `.filterError` with libpcap's BPF message.
    public init(options: LiveCaptureOptions) throws(CaptureError) {
        let name = options.interface
        let handle: PcapHandle
        switch PcapHandle.create(device: name) {
        case .success(let created): handle = created
        case .failure(let message): throw .liveOpenFailed(interface: name, reason: .other, detail: message.text)
        }
        // Setters fail only on an activated handle, which this is not.
        _ = handle.setSnapshotLength(options.snapshotLength)
        _ = handle.setPromiscuous(options.promiscuous)
        _ = handle.setTimeout(milliseconds: options.timeoutMilliseconds)
        // Not immediate mode: the kernel hands over whole ring blocks (or a partly filled one when
        // the read timeout passes), one wakeup per block instead of per packet. At 250,000
        // packets/s on a 2-vCPU VM, immediate mode lost 1-50% in the kernel and this lost none.
        // Packets reach the analysis up to the read timeout late; `stop()` drains the last block.
        _ = handle.setImmediateMode(false)
        if let size = options.bufferSize { _ = handle.setBufferSize(size) }
        _ = handle.setNanosecondPrecision()  // falls back to microseconds where unsupported

        let (code, message) = handle.activate()
        var warnings: [String] = []
        switch code {
        case 0: break
        case PCAP_WARNING_PROMISC_NOTSUP:
            warnings.append("\(name): promiscuous mode not supported (\(message))")
        case PCAP_WARNING_TSTAMP_TYPE_NOTSUP:
            warnings.append("\(name): requested time stamp type not supported (\(message))")
        case let warning where warning > 0:
            warnings.append("\(name): \(message)")
        case PCAP_ERROR_NO_SUCH_DEVICE:
            throw .noSuchInterface(interface: name)
        case PCAP_ERROR_PERM_DENIED:
            throw .liveOpenFailed(interface: name, reason: .permissionDenied, detail: message)
        case PCAP_ERROR_PROMISC_PERM_DENIED:
            throw .liveOpenFailed(interface: name, reason: .promiscuousPermissionDenied, detail: message)
        case PCAP_ERROR_IFACE_NOT_UP:
            throw .liveOpenFailed(interface: name, reason: .interfaceNotUp, detail: message)
        default:
            throw .liveOpenFailed(interface: name, reason: .other, detail: message)
        }
        handle.nanosecondTimestamps = handle.deliversNanoseconds
        if let problem = handle.setNonblocking() {
            throw .liveOpenFailed(interface: name, reason: .other, detail: problem.text)
        }

        if let filter = options.filter, let problem = handle.setFilter(filter) {
            throw .filterError(interface: name, filter: filter, detail: problem.text)
        }

        self.handle = handle
        self.options = options
        self.linkType = handle.linkType
        self.stopRequested = StopFlag()
        self.activationWarnings = warnings
        self.watchesInterface = InterfaceState.of(interface: name, socket: handle.selectableDescriptor) == .up
        let link = CaptureLinkType(linkType: linkType, name: PcapHandle.name(of: linkType))
        self.info = CaptureFileInfo(path: name, format: CaptureFormat(container: .pcapNanoseconds, compressed: false),
                                    linkTypes: [link])
    }

    /// The interfaces libpcap can capture on (`pcap_findalldevs`).
    public static func interfaces() throws(CaptureError) -> [NetworkInterface] {
        switch PcapInterfaces.list() {
        case .success(let list): return list
        case .failure(let message): throw .liveOpenFailed(interface: "(interfaces)", reason: .other, detail: message.text)
        }
    }

    // MARK: - Reading

    /// A packet, `.idle` when the read timeout passed with none (call again), or `.end` once
    /// `stop()` was called or the capture failed (see `failure`). Bytes are valid until the next call.
    public func nextEvent() -> CaptureEvent {
        guard !finished else { return .end }
        switch stopRequested.state {
        case .running: break
        case .draining: return drainingEvent()
        case .now:
            finished = true
            return .end
        }
        var result = handle.next()
        if case .timeout = result {
            // Nothing buffered: wait at most the read timeout, then look once more.
            handle.waitForPackets(milliseconds: options.timeoutMilliseconds)
            if stopRequested.state != .running { return nextEvent() }
            result = handle.next()
        }
        switch result {
        case .packet(let header, let data):
            return packetEvent(header: header, data: data)
        case .timeout:
            if stopRequested.state != .running { return nextEvent() }
            if let problem = interfaceProblem() {
                finished = true
                failure = "\(options.interface): capture stopped: \(problem)"
                return .end
            }
            return .idle
        case .end:
            // PCAP_ERROR_BREAK: stop() was called while libpcap was reading.
            if stopRequested.state != .running { return nextEvent() }
            finished = true
            return .end
        case .error(let message):
            finished = true
            failure = "\(options.interface): capture stopped: \(message.text)"
            return .end
        }
    }

    /// After `stop()`: the packets the kernel still holds, then `.end`. A partly filled ring block
    /// reaches libpcap only when its timer (the read timeout) fires, so this waits for it, and no
    /// longer than the read timeout plus 100 ms in all: a busy interface cannot keep it going.
    private func drainingEvent() -> CaptureEvent {
        let now = Self.monotonicNanoseconds()
        let deadline: Int64
        if let existing = drainDeadline {
            deadline = existing
        } else {
            deadline = now &+ Int64(options.timeoutMilliseconds) &* 1_000_000 &+ 100_000_000
            drainDeadline = deadline
        }
        guard now < deadline else {
            finished = true
            return .end
        }
        var result = readPastBreak()
        if case .timeout = result {
            handle.waitForPackets(milliseconds: Int32(clamping: (deadline &- now) / 1_000_000 &+ 1))
            result = readPastBreak()
        }
        guard case .packet(let header, let data) = result else {
            finished = true
            return .end
        }
        return packetEvent(header: header, data: data)
    }

    /// `pcap_next_ex`, read again when it reports the PCAP_ERROR_BREAK that `stop()` left behind
    /// (libpcap reports it at its next look at the ring, whenever that is).
    private func readPastBreak() -> PcapHandle.NextResult {
        let result = handle.next()
        if case .end = result { return handle.next() }
        return result
    }

    @inline(__always)
    private func packetEvent(header: UnsafePointer<pcap_pkthdr>, data: UnsafePointer<UInt8>) -> CaptureEvent {
        let caplen = Int(header.pointee.caplen)
        let length = Int(header.pointee.len)
        let timestamp = handle.timestamp(of: header)
        info.count(timestamp: timestamp, capturedLength: caplen, originalLength: length)
        return .packet(PacketRecord(timestamp: timestamp, ref: PacketRef(fileIndex: 0, number: info.packets),
                                    linkType: linkType,
                                    bytes: UnsafeRawBufferPointer(start: data, count: caplen),
                                    originalLength: length))
    }

    private static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// Nil while the interface is up (or not watched); otherwise why the capture cannot go on.
    /// Asked only when a read found nothing: one ioctl per read timeout at most.
    private func interfaceProblem() -> String? {
        guard watchesInterface else { return nil }
        switch InterfaceState.of(interface: options.interface, socket: handle.selectableDescriptor) {
        case .up, .unknown: return nil
        case .down: return "the interface went down"
        case .gone: return "the interface disappeared"
        }
    }

    // MARK: - Control

    /// `pcap_stats`: received, dropped, dropped by the interface. Nil when libpcap cannot tell.
    public func statistics() -> LiveCaptureStatistics? {
        guard let stats = handle.statistics() else { return nil }
        return LiveCaptureStatistics(received: stats.ps_recv, dropped: stats.ps_drop, interfaceDropped: stats.ps_ifdrop)
    }

    /// Asks the capture to end once the packets the kernel already holds are read (at most the
    /// read timeout plus 100 ms later). Safe from any thread; see `stopper` for use from a signal
    /// handler's dispatch source.
    public func stop() { stopper.stop() }

    /// Ends the capture at once: the next `nextEvent()` returns `.end` (for `--count`: not one
    /// packet more). Call from the reading thread.
    public func stopNow() { stopRequested.set(.now) }

    /// A Sendable handle that stops this capture from another thread or a signal dispatch source.
    public var stopper: LiveCaptureStopper { LiveCaptureStopper(handle: handle, flag: stopRequested) }
}

/// Stops a `LiveCapture` from another thread: sets a flag checked by `nextEvent()` and calls
/// `pcap_breakloop` (which also wakes a blocked read). Keeps the handle alive while held.
public struct LiveCaptureStopper: @unchecked Sendable {
    // @unchecked: `handle` is used here only for pcap_breakloop, documented as callable from
    // other threads and signal handlers; `flag` is atomic.
    private let handle: PcapHandle
    private let flag: StopFlag

    init(handle: PcapHandle, flag: StopFlag) { self.handle = handle; self.flag = flag }

    /// Ends the capture once the packets the kernel holds are read (see `LiveCapture.stop()`).
    public func stop() {
        flag.set(.draining)
        handle.breakLoop()
    }
}

/// An atomic "stop requested" state: running, draining what the kernel holds, or stopped now.
final class StopFlag: Sendable {
    enum State: UInt8 { case running, draining, now }
    private let value = Atomic<UInt8>(State.running.rawValue)
    var state: State { State(rawValue: value.load(ordering: .acquiring)) ?? .now }
    /// Moves to `state` unless already further on (`now` wins over `draining`).
    func set(_ state: State) {
        var current = value.load(ordering: .relaxed)
        while current < state.rawValue {
            let (exchanged, original) = value.compareExchange(expected: current, desired: state.rawValue,
                                                              ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }
}
