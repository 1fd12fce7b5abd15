// HTTP CONNECT (RFC 9110 §9.3.6), as a client speaks it to a proxy.

/// `CONNECT host:port HTTP/1.x`.
public struct ConnectRequest: Hashable, Sendable {
    /// The authority host, without brackets for IPv6 literals.
    public var host: [UInt8]
    public var port: UInt16
    public init(host: [UInt8], port: UInt16) { self.host = host; self.port = port }
}

public enum HTTPConnectParser {
    /// Longest header block (request line included) accepted before the bytes are judged not HTTP.
    public static let maxHeaderBytes = HTTPConnectReader.maxHeaderBytes

    /// Parses the client's first bytes as a CONNECT request (`CONNECT host:port HTTP/1.x`, header
    /// fields, empty line; CRLF or bare LF line ends). `.needMoreBytes` until the header block ends
    /// (at most `maxHeaderBytes`); `.notThisProtocol` as soon as a byte cannot be part of one (a
    /// first byte other than "C" fails at once), for a malformed request line, or past the limit.
    public static func parseRequest(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ConnectRequest> {
        HTTPConnectReader.parseRequest(bytes)
    }
    /// Parses the proxy's first bytes as an HTTP/1.x status line and returns the status code once
    /// `HTTP/1.x NNN` and the byte after it (space, CR or LF) are at hand; `.needMoreBytes` before
    /// that, `.notThisProtocol` as soon as a byte does not fit.
    public static func parseResponseStatus(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<Int> {
        HTTPConnectReader.parseResponseStatus(bytes)
    }
}
