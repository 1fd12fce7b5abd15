// ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3).

enum ServerHelloReader {
    /// The ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
    static let helloRetryRequestRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    /// Reads a ServerHello body (after msg_type and length), all of whose bytes are at hand.
    /// Also reads the TLS 1.3 draft 16-21 layout (version 0x7Fxx, no session id or compression,
    /// draft-ietf-tls-tls13-18 §4.1.3). Returns nil when a length runs past its container or a
    /// field is impossible.
    static func read(body: UnsafeRawBufferPointer) -> ServerHelloInfo? {
        var cursor = TLSCursor(body)
        do throws(TLSCursorFailure) {
            let legacyVersion = try cursor.readUInt16()                       // legacy_version
            let isDraft13 = legacyVersion >> 8 == 0x7F
            guard legacyVersion >> 8 == 3 || isDraft13 else { return nil }
            let random = try cursor.readBytes(32)                             // random
            let isHelloRetryRequest = random.elementsEqual(helloRetryRequestRandom)
            if !isDraft13 {
                let sessionIDLength = Int(try cursor.readUInt8())             // legacy_session_id_echo<0..32>
                guard sessionIDLength <= 32 else { return nil }
                try cursor.skip(sessionIDLength)
            }
            let cipherSuite = try cursor.readUInt16()                         // cipher_suite
            if !isDraft13 { _ = try cursor.readUInt8() }                      // legacy_compression_method
            var info = ServerHelloInfo(legacyVersion: legacyVersion, selectedVersion: nil,
                                       cipherSuite: cipherSuite, isHelloRetryRequest: isHelloRetryRequest)
            if cursor.isAtEnd { return info }                                  // no extensions (TLS 1.2 allows)
            let extensionsLength = Int(try cursor.readUInt16())               // extensions<6..2^16-1>
            var extensions = try cursor.container(length: extensionsLength)
            guard cursor.isAtEnd else { return nil }
            while !extensions.isAtEnd {
                let type = try extensions.readUInt16()
                let length = Int(try extensions.readUInt16())
                var body = try extensions.container(length: length)
                // supported_versions in a ServerHello/HRR: selected_version only (RFC 8446 §4.2.1).
                if type == TLSExtensionType.supportedVersions, info.selectedVersion == nil {
                    guard length == 2 else { return nil }
                    info.selectedVersion = try body.readUInt16()
                }
            }
            return info
        } catch {
            return nil
        }
    }

    /// True for TLS 1.3 and its drafts (0x7Fxx), whose records after the ServerHello are encrypted.
    static func isTLS13(_ version: UInt16) -> Bool {
        version == 0x0304 || version >> 8 == 0x7F
    }
}
