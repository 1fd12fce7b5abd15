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
    /// Fragments that overlapped bytes already held (the bytes held first were kept).
    public var fragmentsOverlapping: Int64 = 0
    /// TCP segments whose option list was malformed; the options before the fault were kept and the
    /// segment was still decoded.
    public var malformedTCPOptions: Int64 = 0
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
    /// Fragments accepted for one datagram; a datagram needing more is dropped (and counted).
    public var maxFragmentsPerDatagram: Int = 128
    /// Encapsulated IP headers (IPv4-in-IPv6, 6in4, ...) followed below the outer one.
    public var maxTunnelDepth: Int = 2
    public init() {}
}

/// Decodes frames of any supported link type to TCP or UDP.
///
/// Frames are read through bounds-checked views; nothing is allocated per packet except when an IP
/// fragment is held for reassembly. Copies of a decoder share nothing: the fragment reassembler is
/// copied on write.
public struct PacketDecoder {
    public internal(set) var anomalies = DecodeAnomalies()
    public let limits: DecodeLimits
    /// The only state: partial datagrams, and the buffer holding the last reassembled one.
    var reassembler: FragmentReassembler

    public init(limits: DecodeLimits = DecodeLimits()) {
        self.limits = limits
        self.reassembler = FragmentReassembler(limits: limits)
    }

    /// Datagrams currently waiting for fragments.
    public var pendingFragmentedDatagrams: Int { reassembler.pendingCount }

    /// Decodes one frame. Returns nil when the frame carries no TCP or UDP (the reason is counted in
    /// `anomalies`). The returned payload is valid until the next call.
    ///
    /// A frame cut by the snaplen is decoded as far as its bytes go (`anomalies.truncated`); a frame that
    /// ends inside a header returns nil.
    public mutating func decode(_ record: PacketRecord) -> DecodedPacket? {
        var frame = FrameContext(record: record)
        let found = decodeLayers(record, frame: &frame)
        if frame.truncated { anomalies.truncated &+= 1 }
        guard found else { return nil }
        // Built once, here, in the returned value: the layers below only fill `frame`, so the
        // 185-byte packet is not copied out of one layer's result into the next.
        return DecodedPacket(timestamp: frame.timestamp, ref: frame.ref, source: frame.source,
                             destination: frame.destination, transport: frame.transport, payload: frame.payload,
                             payloadLength: frame.payloadLength, frameLength: frame.frameLength, tunnel: frame.tunnel)
    }

    /// Link layer down to the transport header. True when the frame carried TCP or UDP (its
    /// fields are then in `frame`).
    @inline(__always)
    private mutating func decodeLayers(_ record: PacketRecord, frame: inout FrameContext) -> Bool {
        switch LinkLayer.locateNetworkLayer(linkType: record.linkType, bytes: record.bytes) {
        case .unsupportedLinkType:
            anomalies.unsupportedLinkType &+= 1
            return false
        case .notIP:
            anomalies.notIP &+= 1
            return false
        case .invalid(let error):
            count(error, bytesWereCut: record.isTruncated, frame: &frame)
            return false
        case .network(let networkProtocol, let offset):
            guard offset >= 0, offset <= record.bytes.count else {
                count(.truncated(needed: offset, available: record.bytes.count), bytesWereCut: record.isTruncated,
                      frame: &frame)
                return false
            }
            let ipBytes = UnsafeRawBufferPointer(rebasing: record.bytes[offset...])  // checked above
            return decodeIP(networkProtocol, ipBytes, bytesWereCut: record.isTruncated, depth: 0, frame: &frame)
        }
    }

    // MARK: - Anomaly accounting

    /// Counts a header error: a short header is a snaplen cut when the bytes were cut, else malformed.
    mutating func count(_ error: HeaderError, bytesWereCut: Bool, frame: inout FrameContext) {
        switch error {
        case .truncated:
            if bytesWereCut { frame.truncated = true } else { anomalies.malformed &+= 1 }
        case .malformed:
            anomalies.malformed &+= 1
        }
    }
}

/// Per-frame facts carried down the layers, and what the transport layer found (valid when the
/// layers return true).
struct FrameContext {
    var timestamp: Timestamp
    var ref: PacketRef
    var frameLength: Int
    /// Some layer found fewer bytes than its header claims (counted once per frame).
    var truncated = false
    /// The outermost IP addresses, set when a tunnel was entered.
    var tunnel: TunnelEndpoints?

    // MARK: Found by the transport layer
    var source: IPAddress = .v4(0)
    var destination: IPAddress = .v4(0)
    var transport: TransportHeader = .udp(sourcePort: 0, destinationPort: 0)
    var payload = UnsafeRawBufferPointer(start: nil, count: 0)
    var payloadLength = 0

    init(record: PacketRecord) {
        timestamp = record.timestamp
        ref = record.ref
        frameLength = record.originalLength
    }
}
