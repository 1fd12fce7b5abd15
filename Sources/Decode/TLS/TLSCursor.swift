// A cursor over TLS vectors (RFC 8446 §3.4) that tells "need more bytes" from "garbage", as
// swift-nio's SNIHandler does: each length prefix opens a container of exactly that length.

/// Why a read failed.
enum TLSCursorFailure: Error, Hashable {
    /// The read fits its container but the bytes have not arrived yet.
    case needMoreBytes
    /// The read runs past its container: a length field lies.
    case malformed
}

/// Reads big-endian integers and length-prefixed vectors inside one container.
///
/// `end` is where the container ends by its declared length; `available` is where the bytes at hand
/// end (at most `end`). Reading past `end` is `.malformed`; past `available` only, `.needMoreBytes`.
struct TLSCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    /// End of the container by its declared length.
    let end: Int
    /// End of the bytes at hand inside the container.
    let available: Int

    /// A cursor over a whole buffer whose every byte is present.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes; self.offset = 0; self.end = bytes.count; self.available = bytes.count
    }

    /// A container from `offset` to `end` whose bytes are present up to `bytes.count`.
    init(_ bytes: UnsafeRawBufferPointer, from offset: Int, declaredEnd end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
        self.available = min(end, bytes.count)
    }

    var remaining: Int { end &- offset }
    var isAtEnd: Bool { offset >= end }

    /// Checks that `count` more bytes are inside the container and at hand.
    private func check(_ count: Int) throws(TLSCursorFailure) {
        guard count >= 0, count <= end &- offset else { throw .malformed }
        guard count <= available &- offset else { throw .needMoreBytes }
    }

    mutating func readUInt8() throws(TLSCursorFailure) -> UInt8 {
        try check(1)
        defer { offset &+= 1 }
        return bytes[offset] // checked above
    }

    mutating func readUInt16() throws(TLSCursorFailure) -> UInt16 {
        try check(2)
        defer { offset &+= 2 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian // checked above
    }

    mutating func readUInt24() throws(TLSCursorFailure) -> Int {
        try check(3)
        defer { offset &+= 3 }
        // checked above
        return Int(bytes[offset]) << 16 | Int(bytes[offset &+ 1]) << 8 | Int(bytes[offset &+ 2])
    }

    mutating func skip(_ count: Int) throws(TLSCursorFailure) {
        try check(count)
        offset &+= count
    }

    /// Opens a container of `length` bytes at the cursor and moves past it. Malformed when `length`
    /// runs past this container; the bytes of the new container need not all be at hand.
    mutating func container(length: Int) throws(TLSCursorFailure) -> TLSCursor {
        guard length >= 0, length <= end &- offset else { throw .malformed }
        let inner = TLSCursor(bytes, from: offset, declaredEnd: offset &+ length, availableEnd: available)
        offset &+= length
        return inner
    }

    /// Reads the bytes of a whole container, all of which must be at hand.
    mutating func readBytes(_ count: Int) throws(TLSCursorFailure) -> UnsafeRawBufferPointer {
        try check(count)
        defer { offset &+= count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset &+ count)]) // checked above
    }

    private init(_ bytes: UnsafeRawBufferPointer, from offset: Int, declaredEnd end: Int, availableEnd: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
        self.available = min(end, availableEnd)
    }
}

// MARK: - TLS constants

enum TLSContentType {
    static let changeCipherSpec: UInt8 = 20
    static let alert: UInt8 = 21
    static let handshake: UInt8 = 22
    static let applicationData: UInt8 = 23
}

enum TLSHandshakeType {
    static let clientHello: UInt8 = 1
    static let serverHello: UInt8 = 2
}

enum TLSExtensionType {
    static let serverName: UInt16 = 0
    static let alpn: UInt16 = 16
    static let supportedVersions: UInt16 = 43
    static let keyShare: UInt16 = 51
    /// key_share's code point in TLS 1.3 drafts 16-22, same format (pre-RFC clients, still in captures).
    static let keyShareDraft: UInt16 = 40
}

enum TLSRecordLimits {
    /// TLSPlaintext header: type(1) legacy_record_version(2) length(2) (RFC 8446 §5.1).
    static let headerLength = 5
    /// Largest record body accepted: 2^14 plus the 2048 bytes of expansion RFC 5246 §6.2.3 allows.
    static let maxRecordBody = 16_384 + 2_048
    /// Largest ClientHello body accepted (its vectors are at most 2^16 each).
    static let maxClientHelloLength = 1 << 17
    /// Largest ServerHello buffered (a post-quantum key share makes it ~1.2 KB).
    static let maxServerHelloLength = 1 << 16

    /// A record's legacy version: major 3, minor 0 (SSL 3.0) through 4.
    @inline(__always)
    static func isRecordVersion(major: UInt8, minor: UInt8) -> Bool { major == 3 && minor <= 4 }
}

/// GREASE values (RFC 8701): 0x0A0A, 0x1A1A, ... 0xFAFA.
@inline(__always)
func isGREASE(_ value: UInt16) -> Bool {
    value & 0x0F0F == 0x0A0A && value >> 8 == value & 0xFF
}
