import Decode

// The seam between flow tracking and the Decode stage's application parsers. FlowTracker uses the
// real parsers; tests drive the same engine with small fakes. Static dispatch through a generic
// parameter: no existential or closure call per packet.

/// Streaming walker over the server's TLS records (the Decode stage's `TLSServerRecordWalker`).
protocol ServerRecordWalking {
    init()
    mutating func feed(_ bytes: UnsafeRawBufferPointer)
    var events: TLSServerEvents { get }
}

extension TLSServerRecordWalker: ServerRecordWalking {}

/// The parsers flow tracking calls while a flow's handshake is undecided, and for DNS.
protocol ApplicationParsers {
    associatedtype ServerWalker: ServerRecordWalking
    /// The client's first bytes as a ClientHello (`ClientHelloParser.parse`).
    static func parseClientHello(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ClientHelloInfo>
    /// The client's first bytes, up to and including the blank line, as a CONNECT request.
    static func parseConnectRequest(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ConnectRequest>
    /// The proxy's response header, up to and including the blank line: its status code.
    static func parseConnectResponseStatus(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<Int>
    /// One whole DNS message; nil when unusable.
    static func parseDNS(_ bytes: UnsafeRawBufferPointer) -> DNSMessage?
}

/// The Decode stage's parsers.
enum DecodeStageParsers: ApplicationParsers {
    typealias ServerWalker = TLSServerRecordWalker

    @inline(__always)
    static func parseClientHello(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ClientHelloInfo> {
        ClientHelloParser.parse(bytes)
    }

    @inline(__always)
    static func parseConnectRequest(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ConnectRequest> {
        HTTPConnectParser.parseRequest(bytes)
    }

    @inline(__always)
    static func parseConnectResponseStatus(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<Int> {
        HTTPConnectParser.parseResponseStatus(bytes)
    }

    static func parseDNS(_ bytes: UnsafeRawBufferPointer) -> DNSMessage? {
        do {
            return try DNSParser.parse(bytes)
        } catch {
            return nil
        }
    }
}
