// HTTP CONNECT (RFC 9110 §9.3.6), as a client speaks it to a proxy.

/// `CONNECT host:port HTTP/1.x`.
public struct ConnectRequest: Hashable, Sendable {
    /// The authority host, without brackets for IPv6 literals.
    public var host: [UInt8]
    public var port: UInt16
    public init(host: [UInt8], port: UInt16) { self.host = host; self.port = port }
}

public enum HTTPConnectParser {
    /// Parses the client's first bytes as a CONNECT request.
    public static func parseRequest(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ConnectRequest> {
        .notThisProtocol // replaced by the parser implementation
    }
    /// Parses the proxy's first bytes as an HTTP/1.x status line and returns the status code.
    public static func parseResponseStatus(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<Int> {
        .notThisProtocol // replaced by the parser implementation
    }
}
