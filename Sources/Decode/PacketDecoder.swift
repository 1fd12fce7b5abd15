import Capture

/// Counters of frames that could not be fully decoded. Reported, never fatal.
public struct DecodeAnomalies: Sendable, Hashable {
    /// Frames whose link type ssmpath does not decode.
    public var unsupportedLinkType: Int64 = 0
    /// Frames that are not IPv4 or IPv6 (ARP, LLDP, ...): counted, not an error.
    public var notIP: Int64 = 0
    /// IP packets carrying neither TCP nor UDP (ICMP, ESP, ...): counted, not an error.
    public var otherTransport: Int64 = 0
    /// Frames cut by the snaplen (decoded as far as their bytes go).
    public var truncated: Int64 = 0
    /// Frames with malformed headers (bad IHL, length fields past the packet, ...).
    public var malformed: Int64 = 0
    /// IP fragments held for reassembly, reassembled datagrams, and fragment sets dropped (timeout or limits).
    public var fragmentsHeld: Int64 = 0
    public var fragmentsReassembled: Int64 = 0
    public var fragmentsDropped: Int64 = 0
    public init() {}

    /// Frames that yielded nothing usable (unsupported link type or malformed).
    public var undecodable: Int64 { unsupportedLinkType &+ malformed }
}

/// Limits of the decoder's only state, the IP fragment reassembler.
public struct DecodeLimits: Sendable, Hashable {
    /// Datagrams in reassembly at once; the oldest is dropped (and counted) past this.
    public var maxFragmentedDatagrams: Int = 256
    /// Seconds a partial datagram waits for its remaining fragments.
    public var fragmentTimeoutSeconds: Int64 = 30
    /// Largest reassembled datagram in bytes.
    public var maxDatagramBytes: Int = 65_535
    public init() {}
}

/// Decodes frames of any supported link type to TCP or UDP.
///
/// Frames are read through bounds-checked views; nothing is allocated per packet except when an IP
/// fragment is held for reassembly.
public struct PacketDecoder {
    public private(set) var anomalies = DecodeAnomalies()
    public let limits: DecodeLimits

    public init(limits: DecodeLimits = DecodeLimits()) {
        self.limits = limits
    }

    /// Decodes one frame. Returns nil when the frame carries no TCP or UDP (the reason is counted in
    /// `anomalies`). The returned payload is valid until the next call.
    public mutating func decode(_ record: PacketRecord) -> DecodedPacket? {
        // Implemented by the link/network/transport layers.
        nil
    }
}
