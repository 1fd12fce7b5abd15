import Capture

// The contract between Decode and Flows: a frame decoded down to TCP or UDP.

/// An IPv4 or IPv6 address, stored as integers in host order.
public enum IPAddress: Hashable, Sendable, Comparable {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)
}

/// The outer addresses of an IP-in-IP tunnel.
public struct TunnelEndpoints: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    @inlinable public init(source: IPAddress, destination: IPAddress) { self.source = source; self.destination = destination }
}

/// Transport protocol of a decoded packet.
public enum TransportProtocol: UInt8, Sendable, Hashable {
    case tcp = 6
    case udp = 17
}

/// TCP header flags (RFC 9293 §3.1).
public struct TCPFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let fin = TCPFlags(rawValue: 0x001)
    public static let syn = TCPFlags(rawValue: 0x002)
    public static let rst = TCPFlags(rawValue: 0x004)
    public static let psh = TCPFlags(rawValue: 0x008)
    public static let ack = TCPFlags(rawValue: 0x010)
    public static let urg = TCPFlags(rawValue: 0x020)
    public static let ece = TCPFlags(rawValue: 0x040)
    public static let cwr = TCPFlags(rawValue: 0x080)
}

/// The TCP options ssmpath reads (RFC 9293, RFC 7323, RFC 2018). Inline storage, no allocation.
public struct TCPOptions: Hashable, Sendable {
    public var mss: UInt16?
    public var windowScale: UInt8?
    public var sackPermitted: Bool = false
    /// Number of SACK blocks in this segment (0...4).
    public var sackBlockCount: UInt8 = 0
    public var timestampValue: UInt32?
    public var timestampEcho: UInt32?
    public init() {}
}

/// The fields of a TCP header that flow tracking needs.
public struct TCPHeaderFields: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgementNumber: UInt32
    public var flags: TCPFlags
    public var window: UInt16
    public var options: TCPOptions
    public init(sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32, acknowledgementNumber: UInt32,
                flags: TCPFlags, window: UInt16, options: TCPOptions) {
        self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber; self.acknowledgementNumber = acknowledgementNumber
        self.flags = flags; self.window = window; self.options = options
    }
}

/// Transport-layer header of a decoded packet.
public enum TransportHeader: Sendable {
    case tcp(TCPHeaderFields)
    case udp(sourcePort: UInt16, destinationPort: UInt16)

    @inlinable public var sourcePort: UInt16 {
        switch self { case .tcp(let t): t.sourcePort; case .udp(let s, _): s }
    }
    @inlinable public var destinationPort: UInt16 {
        switch self { case .tcp(let t): t.destinationPort; case .udp(_, let d): d }
    }
}

/// A frame decoded to its transport payload.
///
/// `payload` points into the capture buffer (or the fragment reassembler's buffer) and is valid
/// only until the decoder or capture source is used again.
public struct DecodedPacket {
    public var timestamp: Timestamp
    public var ref: PacketRef
    public var source: IPAddress
    public var destination: IPAddress
    public var transport: TransportHeader
    /// Transport payload bytes that were captured.
    public var payload: UnsafeRawBufferPointer
    /// Payload length the IP header claims; larger than `payload.count` when the snaplen cut it.
    public var payloadLength: Int
    /// Wire length of the frame, for byte accounting.
    public var frameLength: Int
    /// For a tunnelled packet (IPv4-in-IPv6, 6in4, IP-in-IP), the outermost IP header's addresses;
    /// `source` and `destination` are always the innermost ones. nil when there was no tunnel.
    public var tunnel: TunnelEndpoints? = nil

    public init(timestamp: Timestamp, ref: PacketRef, source: IPAddress, destination: IPAddress,
                transport: TransportHeader, payload: UnsafeRawBufferPointer, payloadLength: Int, frameLength: Int) {
        self.timestamp = timestamp; self.ref = ref; self.source = source; self.destination = destination
        self.transport = transport; self.payload = payload; self.payloadLength = payloadLength
        self.frameLength = frameLength
    }

    /// The same, with the outer addresses of a tunnel.
    @inlinable
    public init(timestamp: Timestamp, ref: PacketRef, source: IPAddress, destination: IPAddress,
                transport: TransportHeader, payload: UnsafeRawBufferPointer, payloadLength: Int, frameLength: Int,
                tunnel: TunnelEndpoints?) {
        self.timestamp = timestamp; self.ref = ref; self.source = source; self.destination = destination
        self.transport = transport; self.payload = payload; self.payloadLength = payloadLength
        self.frameLength = frameLength; self.tunnel = tunnel
    }

    /// True when the snaplen cut the payload.
    @inlinable public var isPayloadTruncated: Bool { payload.count < payloadLength }
}

/// The progress of parsing a message that may arrive in pieces (a ClientHello, a CONNECT request).
public enum ParseProgress<Value> {
    /// The message parsed.
    case complete(Value)
    /// The bytes so far are a valid prefix; more are needed.
    case needMoreBytes
    /// The bytes are not this protocol (or are malformed beyond use).
    case notThisProtocol
}
