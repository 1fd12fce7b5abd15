// TLS handshake model (RFC 8446 §4, RFC 5246 §7.4). Only what path analysis needs.

/// What the client's first flight says.
public struct ClientHelloInfo: Hashable, Sendable {
    /// server_name (RFC 6066 §3) host_name, as bytes, if present.
    public var serverName: [UInt8]?
    /// ALPN protocol names (RFC 7301), in the client's order.
    public var alpn: [[UInt8]]
    /// ClientHello.legacy_version.
    public var legacyVersion: UInt16
    /// supported_versions (RFC 8446 §4.2.1), GREASE values removed.
    public var supportedVersions: [UInt16]
    /// key_share groups offered (RFC 8446 §4.2.8), GREASE removed; 0x11EC is X25519MLKEM768.
    public var keyShareGroups: [UInt16]
    /// Total bytes of TLS records that carried the ClientHello (record headers included).
    public var recordBytes: Int
    /// Number of TLS records the ClientHello was spread over.
    public var recordCount: Int
    /// True for an SSL 2.0-format CLIENT-HELLO (RFC 5246 Appendix E.2): no extensions, so no
    /// server_name, ALPN or key shares; `legacyVersion` is the version it offers (0x0002 for SSL 2.0,
    /// 0x0300... for a "version 2 compatible" hello offering SSL 3.0 / TLS).
    public var isSSLv2Format: Bool = false

    public init(serverName: [UInt8]?, alpn: [[UInt8]], legacyVersion: UInt16, supportedVersions: [UInt16],
                keyShareGroups: [UInt16], recordBytes: Int, recordCount: Int) {
        self.serverName = serverName; self.alpn = alpn; self.legacyVersion = legacyVersion
        self.supportedVersions = supportedVersions; self.keyShareGroups = keyShareGroups
        self.recordBytes = recordBytes; self.recordCount = recordCount
    }

    /// True when a post-quantum hybrid group (X25519MLKEM768 0x11EC, SecP256r1MLKEM768 0x11EB,
    /// X25519Kyber768Draft00 0x6399, ...) is among the key shares.
    public var offersPostQuantum: Bool {
        keyShareGroups.contains { [0x11EB, 0x11EC, 0x11ED, 0x6399, 0x639A].contains($0) }
    }
}

/// What the server's ServerHello says.
public struct ServerHelloInfo: Hashable, Sendable {
    public var legacyVersion: UInt16
    /// supported_versions selected_version when present (TLS 1.3), else nil.
    public var selectedVersion: UInt16?
    public var cipherSuite: UInt16
    /// True when this is a HelloRetryRequest (RFC 8446 §4.1.3).
    public var isHelloRetryRequest: Bool
    public init(legacyVersion: UInt16, selectedVersion: UInt16?, cipherSuite: UInt16, isHelloRetryRequest: Bool) {
        self.legacyVersion = legacyVersion; self.selectedVersion = selectedVersion
        self.cipherSuite = cipherSuite; self.isHelloRetryRequest = isHelloRetryRequest
    }
    /// The negotiated version: selected_version if present, else legacy_version.
    public var negotiatedVersion: UInt16 { selectedVersion ?? legacyVersion }
}

/// A cleartext TLS alert (RFC 8446 §6).
public struct TLSAlert: Hashable, Sendable {
    public var level: UInt8
    public var description: UInt8
    public init(level: UInt8, description: UInt8) { self.level = level; self.description = description }
}

/// Parses a client's first bytes as a TLS ClientHello, across as many records as it spans.
public enum ClientHelloParser {
    /// `.needMoreBytes` while `bytes` is a valid prefix of a ClientHello (a lone partial record
    /// header included); `.notThisProtocol` as soon as the bytes cannot start one: a record that is
    /// not a TLS handshake record, a handshake that is not a ClientHello, or a length past its
    /// container. Bytes after the ClientHello are ignored. Allocates only the result, plus one
    /// buffer of the handshake's size when the ClientHello spans several records.
    ///
    /// A first byte with the high bit set starts an SSL 2.0-format CLIENT-HELLO (RFC 5246 Appendix
    /// E.2), read in one 2-byte-header record; the result then has `isSSLv2Format` set and no
    /// server_name.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ClientHelloInfo> {
        if let first = bytes.first, SSLv2ClientHelloReader.mayStart(first) {
            return SSLv2ClientHelloReader.parse(bytes)
        }
        return ClientHelloReader.parse(bytes)
    }

    /// True when a stream whose first byte is `first` may open with a ClientHello: a TLS handshake
    /// record (content type 22) or an SSL 2.0 record with a 2-byte header (high bit set).
    @inlinable
    public static func mayStartClientHello(_ first: UInt8) -> Bool {
        first == 22 || first & 0x80 != 0
    }
}

/// Events the server-side record walker reports.
public struct TLSServerEvents: Hashable, Sendable {
    public var serverHello: ServerHelloInfo?
    public var alert: TLSAlert?
    /// Encrypted records (content type 23, or any record after ChangeCipherSpec in TLS 1.2) seen.
    public var applicationDataRecords: Int = 0
    /// The server's handshake is done: TLS 1.3 after ServerHello plus an encrypted record, TLS 1.2
    /// after ChangeCipherSpec and the encrypted Finished.
    public var handshakeFinished: Bool = false
    /// The stream stopped looking like TLS (a record header that is not TLS, or a first handshake
    /// message that is not a well-formed ServerHello). The walk stops there.
    public var notTLS: Bool = false
    /// The server sent a HelloRetryRequest; `serverHello` then holds the ServerHello that followed it,
    /// once seen.
    public var helloRetryRequested: Bool = false
    public init() {}
}

/// Walks the server's TLS records in stream order, one chunk at a time, keeping only record
/// headers and the ServerHello: O(1) memory, no allocation after the ServerHello.
public struct TLSServerRecordWalker: Sendable {
    public private(set) var events = TLSServerEvents()
    private var state = TLSServerWalkState()
    public init() {}
    /// Feeds the next in-order bytes of the server's stream. Any split is fine, down to one byte at a
    /// time: a partial record header is kept inline and a partial ServerHello buffered until whole.
    /// Once `events.notTLS` is set, later feeds do nothing.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        state.feed(bytes, events: &events)
    }
}
