// Record-header arithmetic over a client's in-order bytes (RFC 8446 §5.1, RFC 5246 §6.2.1):
// how many bytes a ClientHello needs before parsing is worthwhile, and cleartext client alerts.

enum TLSRecordFraming {
    /// TLSPlaintext.type values (RFC 8446 §5.1).
    static let changeCipherSpec: UInt8 = 20
    static let alert: UInt8 = 21
    static let handshake: UInt8 = 22
    static let applicationData: UInt8 = 23
    /// Record header: type(1) legacy_record_version(2) length(2).
    static let headerLength = 5

    /// The byte count at which the ClientHello that starts `bytes` can be complete: the end of the
    /// record in which its handshake message (msg_type(1) length(3), RFC 8446 §4) ends.
    /// Returns nil when the framing is not plain enough to tell: the caller should parse now.
    static func clientHelloBytesNeeded(_ bytes: UnsafeRawBufferPointer, capacity: Int) -> Int? {
        var recordStart = 0
        var handshakeTotal: Int?   // handshake header (4) + body, once known
        var handshakeSeen = 0
        for _ in 0..<64 {          // bounded: a ClientHello in 16 KiB spans few records
            let headerEnd = recordStart + headerLength
            guard headerEnd <= bytes.count else { return headerEnd <= capacity ? headerEnd : nil }
            guard bytes[recordStart] == handshake else { return nil }  // checked above
            // length: RFC 8446 §5.1 uint16 at offset 3 of the record header.
            let length = Int(bytes.loadUnaligned(fromByteOffset: recordStart + 3, as: UInt16.self).bigEndian)
            let recordEnd = headerEnd + length
            if handshakeTotal == nil {
                // Handshake header inside the first record: msg_type(1) then uint24 length.
                guard length >= 4 else { return nil }
                guard headerEnd + 4 <= bytes.count else { return headerEnd + 4 <= capacity ? headerEnd + 4 : nil }
                let high = Int(bytes[headerEnd + 1]), mid = Int(bytes[headerEnd + 2]), low = Int(bytes[headerEnd + 3])
                handshakeTotal = 4 + (high << 16 | mid << 8 | low)
            }
            handshakeSeen += length
            if let total = handshakeTotal, handshakeSeen >= total {
                return recordEnd <= capacity ? recordEnd : nil
            }
            recordStart = recordEnd
        }
        return nil
    }

    /// Bytes that identify a handshake record's start: type(1) version(2) length(2) msg_type(1).
    static let handshakeRecordPrefix = 6

    /// The offset of the first TLS handshake record at or after `from` whose handshake message has
    /// type `type` (1 ClientHello, 2 ServerHello): 0x16, 0x03, minor 0...4, a length of at least 4,
    /// then `type` (RFC 8446 §5.1, §4). nil when none starts in `bytes` (one may start in the last
    /// `handshakeRecordPrefix - 1` bytes).
    static func findHandshakeRecord(in bytes: UnsafeRawBufferPointer, from: Int, type: UInt8) -> Int? {
        var index = max(0, from)
        while index + handshakeRecordPrefix <= bytes.count {
            if bytes[index] == handshake && bytes[index + 1] == 0x03 && bytes[index + 2] <= 0x04
                && bytes[index + 5] == type {
                let length = Int(bytes[index + 3]) << 8 | Int(bytes[index + 4])
                if length >= 4 { return index }  // checked by the loop condition
            }
            index += 1
        }
        return nil
    }

    /// What the client's records after its ClientHello show.
    enum ClientRecordScan: Equatable {
        /// More bytes are needed to see the next record's header (or the alert's two bytes).
        case needMoreBytes(resumeAt: Int)
        /// A cleartext alert: level and description.
        case alert(level: UInt8, description: UInt8)
        /// The client's records turned encrypted (or not TLS): stop watching.
        case stop
    }

    /// Walks records from `offset`, skipping cleartext handshake records, until an alert, a
    /// ChangeCipherSpec / encrypted record (after which alerts are encrypted), or the end of `bytes`.
    static func scanClientRecords(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> ClientRecordScan {
        var recordStart = offset
        for _ in 0..<64 {
            let headerEnd = recordStart + headerLength
            guard recordStart >= 0, headerEnd <= bytes.count else { return .needMoreBytes(resumeAt: recordStart) }
            let type = bytes[recordStart]  // checked above
            let length = Int(bytes.loadUnaligned(fromByteOffset: recordStart + 3, as: UInt16.self).bigEndian)
            switch type {
            case alert where length == 2:
                guard headerEnd + 2 <= bytes.count else { return .needMoreBytes(resumeAt: recordStart) }
                return .alert(level: bytes[headerEnd], description: bytes[headerEnd + 1])
            case handshake:
                recordStart = headerEnd + length
            default:
                return .stop
            }
        }
        return .stop
    }
}

/// Finds the end of an HTTP/1.x header block (RFC 9112 §2.1: an empty line; §2.2 lets a recipient
/// accept a bare LF as a line end).
enum HTTPHeaderBlock {
    /// The offset just past the first empty line (LF CRLF or LF LF) at or after `from`, or nil.
    static func end(in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        var index = max(0, from)
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A {
                if bytes[index + 1] == 0x0A { return index + 2 }  // index + 1 < count
                if bytes[index + 1] == 0x0D, index + 2 < bytes.count, bytes[index + 2] == 0x0A { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    /// True when `bytes` is a prefix of "CONNECT " or starts with it (RFC 9110 §9.3.6, method is case-sensitive).
    static func mayBeConnect(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let method: StaticString = "CONNECT "
        let count = min(bytes.count, method.utf8CodeUnitCount)
        return method.withUTF8Buffer { expected in
            for i in 0..<count where bytes[i] != expected[i] { return false }  // i < both counts
            return true
        }
    }
}
