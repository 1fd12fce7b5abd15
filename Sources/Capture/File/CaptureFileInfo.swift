// What one capture file holds: format, link types, counts, time span, problems.

/// The container format of a capture file.
public struct CaptureFormat: Sendable, Hashable {
    public enum Container: String, Sendable, Hashable {
        /// pcap with microsecond timestamps (magic a1b2c3d4).
        case pcap
        /// pcap with nanosecond timestamps (magic a1b23c4d).
        case pcapNanoseconds = "pcap-ns"
        /// pcapng (section header block 0a0d0d0a).
        case pcapng
    }
    public var container: Container
    /// True when the file is gzip-compressed (detected by its magic bytes 1f 8b).
    public var compressed: Bool

    public init(container: Container, compressed: Bool) {
        self.container = container; self.compressed = compressed
    }

    /// `pcap`, `pcap-ns`, `pcapng`, with `+gzip` when compressed (the report's wording).
    public var name: String { container.rawValue + (compressed ? "+gzip" : "") }
}

/// A link-layer type as found in a capture, with libpcap's name for it.
public struct CaptureLinkType: Sendable, Hashable {
    public var linkType: LinkType
    /// libpcap's name (`pcap_datalink_val_to_name`), e.g. `EN10MB`, `LINUX_SLL2`; `DLT_<n>` when unknown.
    public var name: String
    public init(linkType: LinkType, name: String) { self.linkType = linkType; self.name = name }
}

/// Per-file facts, accumulated as packets are read; final once `next()` has returned nil.
public struct CaptureFileInfo: Sendable {
    public var path: String
    public var format: CaptureFormat
    /// The link types of the file (libpcap 1.10 reads one link type per file: the handle's).
    public var linkTypes: [CaptureLinkType]
    /// Packets read (equals `capinfos -c` on a sound file).
    public var packets: Int64 = 0
    /// Sum of the packets' original (on-the-wire) lengths: capinfos' "Data size".
    public var bytes: Int64 = 0
    /// Sum of the captured lengths.
    public var capturedBytes: Int64 = 0
    /// Earliest packet timestamp (capinfos' "First packet time").
    public var firstPacket: Timestamp?
    /// Latest packet timestamp (capinfos' "Last packet time").
    public var lastPacket: Timestamp?
    /// Timestamp of the packet read last, to count packets out of time order.
    var previousTimestamp: Timestamp?
    /// Packets cut by the snaplen (captured length < original length).
    public var truncatedPackets: Int64 = 0
    /// Packets whose timestamp is earlier than the one before (the file is not in time order).
    public var outOfOrderPackets: Int64 = 0
    /// Problems that ended reading early.
    public var warnings: [CaptureWarning] = []

    public init(path: String, format: CaptureFormat, linkTypes: [CaptureLinkType]) {
        self.path = path; self.format = format; self.linkTypes = linkTypes
    }

    /// Warnings as one line each, for the report.
    public var warningMessages: [String] { warnings.map { $0.message(path: path) } }

    /// Counts one packet. Called once per packet: no allocation.
    mutating func count(timestamp: Timestamp, capturedLength: Int, originalLength: Int) {
        packets &+= 1
        bytes &+= Int64(truncatingIfNeeded: originalLength)
        capturedBytes &+= Int64(truncatingIfNeeded: capturedLength)
        if capturedLength < originalLength { truncatedPackets &+= 1 }
        if let previous = previousTimestamp, timestamp < previous { outOfOrderPackets &+= 1 }
        previousTimestamp = timestamp
        // Earliest and latest, as capinfos reports them, so the span is right in an out-of-order file.
        if let first = firstPacket { if timestamp < first { firstPacket = timestamp } } else { firstPacket = timestamp }
        if let last = lastPacket { if last < timestamp { lastPacket = timestamp } } else { lastPacket = timestamp }
    }
}
