// Settings of a live capture.

/// How to capture on an interface.
public struct LiveCaptureOptions: Sendable, Hashable {
    /// Interface name (`eth0`, `ens5`, `any`, `lo`).
    public var interface: String
    /// Bytes kept per packet. The default keeps whole frames: a post-quantum ClientHello spans two
    /// full-size segments, and DNS answers can be large.
    public var snapshotLength: Int32 = 262_144
    /// Promiscuous mode (off by default: the SSM agent's own traffic is addressed to this host).
    public var promiscuous: Bool = false
    /// Kernel buffer in bytes; nil keeps libpcap's default (2 MiB). Raise it when `dropped` grows.
    public var bufferSize: Int32? = 8 * 1024 * 1024
    /// BPF filter, nil for everything. See `LiveCapture.defaultFilter`.
    public var filter: String? = LiveCapture.defaultFilter
    /// Read timeout: `nextEvent()` returns `.idle` at least this often, so a caller can print status
    /// and notice Ctrl-C within a second.
    public var timeoutMilliseconds: Int32 = 200

    public init(interface: String) { self.interface = interface }
}

/// Kernel and libpcap counters of a live capture (`pcap_stats`; 32-bit counters on Linux).
public struct LiveCaptureStatistics: Sendable, Hashable {
    /// Packets that passed the filter (`ps_recv`).
    public var received: UInt32
    /// Packets dropped because the buffer was full (`ps_drop`).
    public var dropped: UInt32
    /// Packets dropped by the interface or driver (`ps_ifdrop`).
    public var interfaceDropped: UInt32

    public init(received: UInt32, dropped: UInt32, interfaceDropped: UInt32) {
        self.received = received; self.dropped = dropped; self.interfaceDropped = interfaceDropped
    }
}
