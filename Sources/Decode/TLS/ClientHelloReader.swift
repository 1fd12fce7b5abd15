// ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) read from the client's first stream bytes,
// across as many TLS records (RFC 8446 §5.1) as it spans.

enum ClientHelloReader {
    /// Smallest ClientHello body: legacy_version(2) random(32) session_id<0>(1)
    /// cipher_suites<2>(2+2) compression_methods<1>(1+1).
    private static let minimumBodyLength = 41
    /// msg_type(1) + uint24 length.
    private static let handshakeHeaderLength = 4

    static func parse(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ClientHelloInfo> {
        switch locateHandshake(bytes) {
        case .needMoreBytes: return .needMoreBytes
        case .notThisProtocol: return .notThisProtocol
        case .complete(let location):
            return parseBody(of: location, in: bytes)
        }
    }

    // MARK: - Pass 1: record headers

    /// Where the ClientHello lies in the records.
    struct HandshakeLocation {
        /// msg_type + length + body.
        var handshakeTotal: Int
        /// Records that carry it, and their bytes (headers included).
        var recordCount: Int
        var recordBytes: Int
        /// Length of the first record's body.
        var firstRecordBody: Int
        /// True when every byte of the handshake is at hand.
        var isComplete: Bool
    }

    /// Walks the record headers until the records hold the whole handshake. Returns `.complete` with
    /// the location once the handshake's length is known (its bytes may not all be there yet: see
    /// `isComplete`), `.needMoreBytes` before that, `.notThisProtocol` on any header that is not a
    /// TLS handshake record or a handshake that is not a ClientHello.
    private static func locateHandshake(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<HandshakeLocation> {
        var offset = 0
        var recordCount = 0
        var handshakeHeader = 0        // the first 4 handshake bytes, big-endian, as they come
        var handshakeHeaderCount = 0
        var handshakeBytesBefore = 0   // handshake bytes carried by earlier records
        var firstRecordBody = 0

        /// Bytes are missing: once the handshake's length is known, the part in the first record is
        /// still checked for garbage (pass 2 on an incomplete location); before that, just wait.
        func waiting() -> ParseProgress<HandshakeLocation> {
            guard handshakeHeaderCount == handshakeHeaderLength else { return .needMoreBytes }
            return .complete(HandshakeLocation(
                handshakeTotal: handshakeHeaderLength &+ (handshakeHeader & 0xFF_FFFF), recordCount: recordCount,
                recordBytes: offset, firstRecordBody: firstRecordBody, isComplete: false))
        }

        while true {
            // TLSPlaintext header (RFC 8446 §5.1): type, legacy_record_version, length.
            let headerBytes = min(bytes.count &- offset, TLSRecordLimits.headerLength)
            guard isValidRecordHeaderPrefix(bytes, at: offset, count: headerBytes) else { return .notThisProtocol }
            guard headerBytes == TLSRecordLimits.headerLength else { return waiting() }
            let bodyLength = Int(bytes.loadUnaligned(fromByteOffset: offset &+ 3, as: UInt16.self).bigEndian) // checked above
            recordCount &+= 1
            if recordCount == 1 { firstRecordBody = bodyLength }
            let bodyStart = offset &+ TLSRecordLimits.headerLength
            let bodyEnd = bodyStart &+ bodyLength
            let bodyAtHand = min(bytes.count, bodyEnd) &- bodyStart

            // Gather the 4-byte handshake header, which may itself be split over records.
            var index = 0
            while handshakeHeaderCount < handshakeHeaderLength, index < bodyAtHand {
                let byte = bytes[bodyStart &+ index] // index < bodyAtHand
                if handshakeHeaderCount == 0, byte != TLSHandshakeType.clientHello { return .notThisProtocol }
                handshakeHeader = handshakeHeader << 8 | Int(byte)
                handshakeHeaderCount &+= 1
                index &+= 1
            }
            if handshakeHeaderCount == handshakeHeaderLength {
                let bodyLengthField = handshakeHeader & 0xFF_FFFF // uint24 length
                guard bodyLengthField >= minimumBodyLength,
                      bodyLengthField <= TLSRecordLimits.maxClientHelloLength else { return .notThisProtocol }
                let total = handshakeHeaderLength &+ bodyLengthField
                let neededHere = total &- handshakeBytesBefore
                if neededHere <= bodyLength {
                    return .complete(HandshakeLocation(
                        handshakeTotal: total, recordCount: recordCount, recordBytes: bodyEnd,
                        firstRecordBody: firstRecordBody, isComplete: bytes.count &- bodyStart >= neededHere))
                }
            }
            guard bodyAtHand == bodyLength else { return waiting() }
            handshakeBytesBefore &+= bodyLength
            offset = bodyEnd
        }
    }

    /// True when the `count` header bytes at `offset` can start a TLS handshake record.
    private static func isValidRecordHeaderPrefix(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> Bool {
        // The caller guarantees offset + count <= bytes.count.
        if count >= 1, bytes[offset] != TLSContentType.handshake { return false }         // ContentType
        if count >= 2, bytes[offset &+ 1] != 3 { return false }                          // legacy_record_version major
        if count >= 3, bytes[offset &+ 2] > 4 { return false }                           // legacy_record_version minor
        if count >= 4, Int(bytes[offset &+ 3]) << 8 > TLSRecordLimits.maxRecordBody { return false } // length high byte
        if count >= 5 {
            let length = Int(bytes[offset &+ 3]) << 8 | Int(bytes[offset &+ 4])
            // Zero-length handshake fragments are forbidden (RFC 8446 §5.1).
            if length == 0 || length > TLSRecordLimits.maxRecordBody { return false }
        }
        return true
    }

    // MARK: - Pass 2: the ClientHello body

    private static func parseBody(of location: HandshakeLocation, in bytes: UnsafeRawBufferPointer)
        -> ParseProgress<ClientHelloInfo> {
        let firstBodyStart = TLSRecordLimits.headerLength
        let bodyStart = firstBodyStart &+ handshakeHeaderLength
        let result: Result<ClientHelloInfo, TLSCursorFailure>
        if location.recordCount == 1 || !location.isComplete {
            // The handshake (or, while incomplete, the part in the first record) is contiguous in
            // `bytes`: read it in place, no copy. Bytes not at hand give .needMoreBytes.
            let firstRecordEnd = firstBodyStart &+ location.firstRecordBody
            let atHand = UnsafeRawBufferPointer(rebasing: bytes[..<min(bytes.count, firstRecordEnd)])
            var cursor = TLSCursor(atHand, from: bodyStart, declaredEnd: firstBodyStart &+ location.handshakeTotal)
            result = readClientHello(&cursor, location: location, collect: location.isComplete)
        } else {
            // Spread over several records: gather exactly the handshake's bytes once.
            let gathered = gatherHandshake(bytes, total: location.handshakeTotal)
            result = gathered.withUnsafeBytes { all in
                var cursor = TLSCursor(all, from: handshakeHeaderLength, declaredEnd: all.count)
                return readClientHello(&cursor, location: location, collect: true)
            }
        }
        switch result {
        case .success(let info): return location.isComplete ? .complete(info) : .needMoreBytes
        case .failure(.needMoreBytes): return .needMoreBytes
        case .failure(.malformed): return .notThisProtocol
        }
    }

    /// Copies the handshake's fragments out of consecutive records (already validated by pass 1).
    private static func gatherHandshake(_ bytes: UnsafeRawBufferPointer, total: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            var offset = 0
            while initialized < total, offset &+ TLSRecordLimits.headerLength <= bytes.count {
                let length = Int(bytes.loadUnaligned(fromByteOffset: offset &+ 3, as: UInt16.self).bigEndian) // checked by the loop condition
                let bodyStart = offset &+ TLSRecordLimits.headerLength
                let take = min(length, total &- initialized, bytes.count &- bodyStart)
                guard take > 0 else { break }
                // take fits both the destination and the source
                let destination = UnsafeMutableBufferPointer(rebasing: buffer[initialized..<(initialized &+ take)])
                UnsafeMutableRawBufferPointer(destination)
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<(bodyStart &+ take)]))
                initialized &+= take
                offset = bodyStart &+ length
            }
            // Pass 1 saw every byte; should a byte be missing the rest stays zero-filled and the
            // cursor's length checks still bound every read.
            while initialized < total { buffer[initialized] = 0; initialized &+= 1 }
        }
    }

    // MARK: - Fields

    /// Reads the ClientHello fields. With `collect` false (a partial hello, checked early for
    /// garbage) lengths are checked but nothing is allocated.
    private static func readClientHello(_ cursor: inout TLSCursor, location: HandshakeLocation, collect: Bool)
        -> Result<ClientHelloInfo, TLSCursorFailure> {
        do throws(TLSCursorFailure) {
            var info = ClientHelloInfo(serverName: nil, alpn: [], legacyVersion: 0, supportedVersions: [],
                                       keyShareGroups: [], recordBytes: location.recordBytes,
                                       recordCount: location.recordCount)
            info.legacyVersion = try cursor.readUInt16()                      // legacy_version
            guard info.legacyVersion >> 8 == 3 else { throw .malformed }
            try cursor.skip(32)                                               // random
            let sessionIDLength = Int(try cursor.readUInt8())                 // legacy_session_id<0..32>
            guard sessionIDLength <= 32 else { throw .malformed }
            try cursor.skip(sessionIDLength)
            let cipherSuitesLength = Int(try cursor.readUInt16())             // cipher_suites<2..2^16-2>
            guard cipherSuitesLength >= 2, cipherSuitesLength % 2 == 0 else { throw .malformed }
            try cursor.skip(cipherSuitesLength)
            let compressionLength = Int(try cursor.readUInt8())               // legacy_compression_methods<1..2^8-1>
            guard compressionLength >= 1 else { throw .malformed }
            try cursor.skip(compressionLength)
            if cursor.isAtEnd { return .success(info) }                        // no extensions (TLS 1.2 allows)
            let extensionsLength = Int(try cursor.readUInt16())               // extensions<8..2^16-1>
            var extensions = try cursor.container(length: extensionsLength)
            // The extensions block must fill the rest of the handshake exactly.
            guard cursor.isAtEnd else { throw .malformed }
            try readExtensions(&extensions, into: &info, collect: collect)
            return .success(info)
        } catch {
            return .failure(error)
        }
    }

    private static func readExtensions(_ block: inout TLSCursor, into info: inout ClientHelloInfo, collect: Bool)
        throws(TLSCursorFailure) {
        var seen: UInt8 = 0 // a duplicate of a read extension is ignored (bits: SNI, ALPN, versions, shares)
        while !block.isAtEnd {
            let type = try block.readUInt16()                                 // extension_type
            let length = Int(try block.readUInt16())                          // extension_data<0..2^16-1>
            var body = try block.container(length: length)
            let bit: UInt8
            switch type {
            case TLSExtensionType.serverName: bit = 1
            case TLSExtensionType.alpn: bit = 2
            case TLSExtensionType.supportedVersions: bit = 4
            case TLSExtensionType.keyShare, TLSExtensionType.keyShareDraft: bit = 8
            default: continue                                                  // skipped, by its length
            }
            guard seen & bit == 0 else { continue }
            seen |= bit
            switch type {
            case TLSExtensionType.serverName: info.serverName = try readServerName(&body, collect: collect)
            case TLSExtensionType.alpn: info.alpn = try readALPN(&body, collect: collect)
            case TLSExtensionType.supportedVersions: info.supportedVersions = try readSupportedVersions(&body, collect: collect)
            default: info.keyShareGroups = try readKeyShareGroups(&body, collect: collect)
            }
        }
    }

    /// server_name (RFC 6066 §3): ServerNameList<1..2^16-1> of (NameType, HostName<1..2^16-1>).
    /// Returns the first host_name.
    private static func readServerName(_ body: inout TLSCursor, collect: Bool) throws(TLSCursorFailure) -> [UInt8]? {
        let listLength = Int(try body.readUInt16())
        var list = try body.container(length: listLength)
        guard listLength >= 1, body.isAtEnd else { throw .malformed }
        var hostName: [UInt8]? = nil
        while !list.isAtEnd {
            let nameType = try list.readUInt8()
            let nameLength = Int(try list.readUInt16())
            guard nameLength >= 1 else { throw .malformed }
            let name = try list.readBytes(nameLength)
            if collect, nameType == 0, hostName == nil { hostName = Array(name) } // host_name(0)
        }
        return hostName
    }

    /// application_layer_protocol_negotiation (RFC 7301 §3.1): ProtocolNameList<2..2^16-1> of
    /// ProtocolName<1..2^8-1>.
    private static func readALPN(_ body: inout TLSCursor, collect: Bool) throws(TLSCursorFailure) -> [[UInt8]] {
        let listLength = Int(try body.readUInt16())
        var list = try body.container(length: listLength)
        guard listLength >= 2, body.isAtEnd else { throw .malformed }
        var names: [[UInt8]] = []
        if collect { names.reserveCapacity(4) }
        while !list.isAtEnd {
            let nameLength = Int(try list.readUInt8())
            guard nameLength >= 1 else { throw .malformed }
            let name = try list.readBytes(nameLength)
            if collect { names.append(Array(name)) }
        }
        return names
    }

    /// supported_versions in a ClientHello (RFC 8446 §4.2.1): ProtocolVersion versions<2..254>.
    private static func readSupportedVersions(_ body: inout TLSCursor, collect: Bool) throws(TLSCursorFailure) -> [UInt16] {
        let listLength = Int(try body.readUInt8())
        var list = try body.container(length: listLength)
        guard listLength >= 2, listLength % 2 == 0, body.isAtEnd else { throw .malformed }
        var versions: [UInt16] = []
        if collect { versions.reserveCapacity(listLength / 2) }
        while !list.isAtEnd {
            let version = try list.readUInt16()
            if collect, !isGREASE(version) { versions.append(version) }
        }
        return versions
    }

    /// key_share in a ClientHello (RFC 8446 §4.2.8): KeyShareEntry client_shares<0..2^16-1>, each
    /// (NamedGroup, key_exchange<1..2^16-1>). Key lengths of known groups are checked.
    private static func readKeyShareGroups(_ body: inout TLSCursor, collect: Bool) throws(TLSCursorFailure) -> [UInt16] {
        let listLength = Int(try body.readUInt16())
        var list = try body.container(length: listLength)
        guard body.isAtEnd else { throw .malformed }
        var groups: [UInt16] = []
        if collect { groups.reserveCapacity(4) }
        while !list.isAtEnd {
            let group = try list.readUInt16()
            let keyLength = Int(try list.readUInt16())
            guard keyLength >= 1 else { throw .malformed }
            if let expected = keyExchangeLength(of: group), expected != keyLength { throw .malformed }
            try list.skip(keyLength)
            if collect, !isGREASE(group) { groups.append(group) }
        }
        return groups
    }

    /// The key_exchange length a client sends for a named group, when fixed.
    private static func keyExchangeLength(of group: UInt16) -> Int? {
        switch group {
        case 0x0017: 65      // secp256r1, uncompressed point (RFC 8446 §4.2.8.2)
        case 0x0018: 97      // secp384r1
        case 0x0019: 133     // secp521r1
        case 0x001D: 32      // x25519 (RFC 7748)
        case 0x001E: 56      // x448
        case 0x11EB: 1249    // SecP256r1MLKEM768: P-256 point + ML-KEM-768 encapsulation key
        case 0x11EC: 1216    // X25519MLKEM768: ML-KEM-768 encapsulation key (1184) + X25519 (32)
        case 0x11ED: 1665    // SecP384r1MLKEM1024: P-384 point + ML-KEM-1024 encapsulation key
        case 0x6399: 1216    // X25519Kyber768Draft00: X25519 (32) + Kyber768 (1184)
        default: nil
        }
    }
}
