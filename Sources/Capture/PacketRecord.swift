// The contract between Capture and Decode: one captured frame, borrowed from libpcap's buffer.

/// A point in time, in nanoseconds since the Unix epoch (UTC).
public struct Timestamp: Comparable, Hashable, Sendable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanoseconds: Int64

    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    @inlinable
    public init(seconds: Int64, nanoseconds: Int64) {
        let (s, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (t, o2) = s.addingReportingOverflow(nanoseconds)
        self.nanoseconds = (o1 || o2) ? Int64.max : t
    }

    @inlinable
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }

    /// `self - earlier` in nanoseconds, saturating instead of trapping.
    @inlinable
    public func nanoseconds(since earlier: Timestamp) -> Int64 {
        let (d, o) = nanoseconds.subtractingReportingOverflow(earlier.nanoseconds)
        return o ? (d < 0 ? Int64.max : Int64.min) : d
    }

    /// `self + delta` nanoseconds, saturating.
    @inlinable
    public func adding(nanoseconds delta: Int64) -> Timestamp {
        let (t, o) = nanoseconds.addingReportingOverflow(delta)
        return Timestamp(nanoseconds: o ? (delta > 0 ? Int64.max : Int64.min) : t)
    }
}

/// A libpcap link-layer header type (`DLT_*` / `LINKTYPE_*` value as libpcap reports it).
public struct LinkType: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    @inlinable public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let null = LinkType(rawValue: 0)           // DLT_NULL (BSD loopback, host byte order)
    public static let ethernet = LinkType(rawValue: 1)       // DLT_EN10MB
    public static let raw = LinkType(rawValue: 12)           // DLT_RAW on most platforms
    public static let rawOpenBSD = LinkType(rawValue: 14)    // DLT_RAW on OpenBSD
    public static let loop = LinkType(rawValue: 108)         // DLT_LOOP (network byte order)
    public static let linuxSLL = LinkType(rawValue: 113)     // DLT_LINUX_SLL
    public static let rawLinktype = LinkType(rawValue: 101)  // LINKTYPE_RAW
    public static let ipv4 = LinkType(rawValue: 228)         // DLT_IPV4
    public static let ipv6 = LinkType(rawValue: 229)         // DLT_IPV6
    public static let linuxSLL2 = LinkType(rawValue: 276)    // DLT_LINUX_SLL2
}

/// Where a packet came from: which file of the capture set, and its 1-based number in that file
/// (the number Wireshark shows as `frame.number`).
public struct PacketRef: Hashable, Sendable, Comparable {
    /// Index into the capture set's file list (0 for a live capture).
    public var fileIndex: Int32
    /// 1-based frame number within that file.
    public var number: Int64

    @inlinable public init(fileIndex: Int32, number: Int64) { self.fileIndex = fileIndex; self.number = number }

    @inlinable public static func < (a: PacketRef, b: PacketRef) -> Bool {
        (a.fileIndex, a.number) < (b.fileIndex, b.number)
    }
}

/// One captured frame. `bytes` points into libpcap's buffer and is valid only until the capture
/// source is asked for its next packet: copy what must outlive the callback.
public struct PacketRecord {
    public var timestamp: Timestamp
    public var ref: PacketRef
    public var linkType: LinkType
    /// Bytes captured (`caplen`); may be fewer than `originalLength` when cut by the snaplen.
    public var bytes: UnsafeRawBufferPointer
    /// Length of the frame on the wire (`len`).
    public var originalLength: Int

    @inlinable
    public init(timestamp: Timestamp, ref: PacketRef, linkType: LinkType, bytes: UnsafeRawBufferPointer, originalLength: Int) {
        self.timestamp = timestamp; self.ref = ref; self.linkType = linkType
        self.bytes = bytes; self.originalLength = originalLength
    }

    /// True when the snaplen cut the frame.
    @inlinable public var isTruncated: Bool { bytes.count < originalLength }
}
