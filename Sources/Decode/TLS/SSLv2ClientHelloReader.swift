// The SSL 2.0 CLIENT-HELLO (draft-hickman-netscape-ssl-00 §2.5), which old clients also send to
// offer SSL 3.0 / TLS 1.x in the "version 2 compatible" form (RFC 6101 Appendix E.1, RFC 5246
// Appendix E.2). It has no extensions, hence no server_name: what it tells is that the client
// started a TLS-family handshake, and which version it offered.

enum SSLv2ClientHelloReader {
    /// Record header with no padding (the form a CLIENT-HELLO uses): msg_length(2), high bit set.
    static let recordHeaderLength = 2
    /// msg_type(1) version(2) cipher_spec_length(2) session_id_length(2) challenge_length(2).
    private static let fixedFieldsLength = 9
    /// SSL 2.0 CLIENT-HELLO msg_type.
    private static let clientHelloType: UInt8 = 1
    /// Cipher specs are 3 bytes each (draft-hickman §2.5, RFC 5246 E.2 V2CipherSpec).
    private static let cipherSpecLength = 3
    /// CHALLENGE-LENGTH: "must be greater than or equal to 16 and less than or equal to 32".
    private static let challengeLengths = 16...32
    /// SESSION-ID-LENGTH: 0 or 16 in SSL 2.0; v3-compatible hellos may carry up to 32.
    private static let maxSessionIDLength = 32
    /// Smallest message: the fixed fields, one cipher spec, no session id, a 16-byte challenge.
    private static let minimumMessageLength = fixedFieldsLength + cipherSpecLength + 16

    /// True when `first`, a stream's first byte, could start an SSL 2.0 record with a 2-byte header.
    @inline(__always)
    static func mayStart(_ first: UInt8) -> Bool { first & 0x80 != 0 }

    /// Parses a CLIENT-HELLO at the start of `bytes`. `.needMoreBytes` while `bytes` is a valid
    /// prefix (an empty buffer or a lone header byte included); `.notThisProtocol` as soon as a
    /// field rules it out: no 2-byte header, a message type other than CLIENT-HELLO, a version that
    /// is neither SSL 2.0 (0x0002) nor 3.x, lengths that break the rules above or do not add up to
    /// msg_length exactly. Bytes after the message are ignored. Allocates only the result.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ClientHelloInfo> {
        guard let first = bytes.first else { return .needMoreBytes }
        guard mayStart(first) else { return .notThisProtocol }
        guard bytes.count >= recordHeaderLength else { return .needMoreBytes }
        // msg_length: the 15 bits after the high bit (draft-hickman §1.2).
        let messageLength = Int(bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self).bigEndian & 0x7FFF) // checked above
        guard messageLength >= minimumMessageLength else { return .notThisProtocol }
        var cursor = TLSCursor(bytes, from: recordHeaderLength, declaredEnd: recordHeaderLength &+ messageLength)
        do throws(TLSCursorFailure) {
            guard try cursor.readUInt8() == clientHelloType else { throw .malformed }     // msg_type
            let version = try cursor.readUInt16()                                        // version
            guard version == 0x0002 || (version >> 8 == 3 && version & 0xFF <= 4) else { throw .malformed }
            let cipherSpecsLength = Int(try cursor.readUInt16())                         // cipher_spec_length
            guard cipherSpecsLength >= cipherSpecLength, cipherSpecsLength % cipherSpecLength == 0 else {
                throw .malformed
            }
            let sessionIDLength = Int(try cursor.readUInt16())                           // session_id_length
            guard sessionIDLength <= maxSessionIDLength else { throw .malformed }
            let challengeLength = Int(try cursor.readUInt16())                           // challenge_length
            guard challengeLengths.contains(challengeLength) else { throw .malformed }
            // The three vectors fill the message exactly (RFC 5246 E.2: msg_length is their sum + 9).
            guard cursor.remaining == cipherSpecsLength &+ sessionIDLength &+ challengeLength else { throw .malformed }
            try cursor.skip(cipherSpecsLength)                                           // cipher_specs
            try cursor.skip(sessionIDLength)                                             // session_id
            try cursor.skip(challengeLength)                                             // challenge
            var info = ClientHelloInfo(
                serverName: nil, alpn: [], legacyVersion: version, supportedVersions: [], keyShareGroups: [],
                recordBytes: recordHeaderLength &+ messageLength, recordCount: 1)
            info.isSSLv2Format = true
            return .complete(info)
        } catch .needMoreBytes {
            return .needMoreBytes
        } catch {
            return .notThisProtocol
        }
    }
}
