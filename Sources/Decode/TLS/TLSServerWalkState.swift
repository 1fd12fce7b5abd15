// The server-side record walk behind TLSServerRecordWalker (RFC 8446 §5.1, RFC 5246 §6.2.1).

/// Record-by-record state. Header bytes split across feeds are kept inline; record bodies are
/// skipped by counting; only the ServerHello's bytes are buffered, then released.
struct TLSServerWalkState: Sendable {
    // MARK: Record framing
    /// The header bytes received so far, big-endian, and how many.
    private var header: UInt64 = 0
    private var headerCount = 0
    private var recordType: UInt8 = 0
    private var recordRemaining = 0
    /// True once the walk stopped (the stream is not TLS, or the ServerHello was malformed).
    private var stopped = false

    // MARK: Handshake progress
    /// Handshake bytes of the ServerHello gathered so far (empty after it parsed).
    private var helloBuffer: [UInt8] = []
    private var awaitingServerHello = true
    /// TLS 1.2: the server's ChangeCipherSpec was seen, so every later record is encrypted.
    private var serverChangedCipherSpec = false
    /// The first two bytes of the current alert record.
    private var alertBytes: UInt16 = 0
    private var alertByteCount = 0

    init() {}

    mutating func feed(_ bytes: UnsafeRawBufferPointer, events: inout TLSServerEvents) {
        var index = 0
        while index < bytes.count, !stopped {
            if headerCount < TLSRecordLimits.headerLength {
                let byte = bytes[index] // index < count
                index &+= 1
                guard acceptHeaderByte(byte) else {
                    events.notTLS = true
                    stop()
                    return
                }
                if headerCount == TLSRecordLimits.headerLength {
                    startRecord(events: &events)
                    if recordRemaining == 0 { headerCount = 0 }
                }
                continue
            }
            let take = min(recordRemaining, bytes.count &- index)
            consumeBody(UnsafeRawBufferPointer(rebasing: bytes[index..<(index &+ take)]), events: &events)
            index &+= take
            recordRemaining &-= take
            if recordRemaining == 0 {
                endRecord(events: &events)
                headerCount = 0
            }
        }
    }

    // MARK: - Headers

    /// Adds one header byte (TLSPlaintext: type, legacy_record_version, length), checking it.
    private mutating func acceptHeaderByte(_ byte: UInt8) -> Bool {
        switch headerCount {
        case 0: guard (TLSContentType.changeCipherSpec...TLSContentType.applicationData).contains(byte) else { return false }
        case 1: guard byte == 3 else { return false }
        case 2: guard byte <= 4 else { return false }
        case 3: guard Int(byte) << 8 <= TLSRecordLimits.maxRecordBody else { return false }
        default:
            let length = Int(header & 0xFF) << 8 | Int(byte)
            guard length <= TLSRecordLimits.maxRecordBody else { return false }
        }
        header = header << 8 | UInt64(byte)
        headerCount &+= 1
        return true
    }

    private mutating func startRecord(events: inout TLSServerEvents) {
        recordType = UInt8(truncatingIfNeeded: header >> 32)
        recordRemaining = Int(header & 0xFFFF)
        header = 0
        alertBytes = 0
        alertByteCount = 0
        if recordType == TLSContentType.applicationData || (serverChangedCipherSpec && recordType != TLSContentType.changeCipherSpec) {
            events.applicationDataRecords &+= 1
            if let hello = events.serverHello, !hello.isHelloRetryRequest, !awaitingServerHello {
                // TLS 1.3: any encrypted record after the ServerHello; TLS 1.2: the encrypted
                // Finished (or anything encrypted) after the server's ChangeCipherSpec.
                if ServerHelloReader.isTLS13(hello.negotiatedVersion)
                    || (serverChangedCipherSpec && recordType != TLSContentType.alert) {
                    events.handshakeFinished = true
                }
            }
        } else if recordType == TLSContentType.changeCipherSpec, let hello = events.serverHello,
                  !awaitingServerHello, !ServerHelloReader.isTLS13(hello.negotiatedVersion) {
            // In TLS 1.3 a ChangeCipherSpec is only middlebox compatibility (RFC 8446 §D.4).
            serverChangedCipherSpec = true
        }
    }

    // MARK: - Bodies

    private mutating func consumeBody(_ body: UnsafeRawBufferPointer, events: inout TLSServerEvents) {
        if serverChangedCipherSpec { return } // encrypted: counted, not read
        switch recordType {
        case TLSContentType.handshake where awaitingServerHello:
            gatherServerHello(body, events: &events)
        case TLSContentType.alert:
            for byte in body where alertByteCount < 2 {
                alertBytes = alertBytes << 8 | UInt16(byte)
                alertByteCount &+= 1
            }
        default:
            break
        }
    }

    private mutating func endRecord(events: inout TLSServerEvents) {
        if recordType == TLSContentType.alert, !serverChangedCipherSpec, alertByteCount == 2, events.alert == nil {
            // Alert: level(1), description(1) (RFC 8446 §6).
            events.alert = TLSAlert(level: UInt8(truncatingIfNeeded: alertBytes >> 8),
                                    description: UInt8(truncatingIfNeeded: alertBytes))
        }
    }

    /// Gathers handshake bytes until the first message is whole, then reads it as a ServerHello.
    /// A HelloRetryRequest is recorded and the next handshake message is awaited as the ServerHello.
    private mutating func gatherServerHello(_ body: UnsafeRawBufferPointer, events: inout TLSServerEvents) {
        var index = 0
        while index < body.count, awaitingServerHello, !stopped {
            if helloBuffer.count < 4 {
                helloBuffer.append(body[index]) // index < count
                index &+= 1
                if helloBuffer.count == 1, helloBuffer[0] != TLSHandshakeType.serverHello { fail(&events); return }
                if helloBuffer.count == 4 {
                    let length = Int(helloBuffer[1]) << 16 | Int(helloBuffer[2]) << 8 | Int(helloBuffer[3]) // uint24
                    guard length <= TLSRecordLimits.maxServerHelloLength else { fail(&events); return }
                    helloBuffer.reserveCapacity(4 &+ length)
                } else {
                    continue
                }
            } else {
                let length = Int(helloBuffer[1]) << 16 | Int(helloBuffer[2]) << 8 | Int(helloBuffer[3]) // count >= 4
                let take = min(4 &+ length &- helloBuffer.count, body.count &- index)
                helloBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[index..<(index &+ take)]))
                index &+= take
            }
            let length = Int(helloBuffer[1]) << 16 | Int(helloBuffer[2]) << 8 | Int(helloBuffer[3]) // count >= 4
            guard helloBuffer.count == 4 &+ length else { continue }
            let parsed = helloBuffer.withUnsafeBytes { all in
                ServerHelloReader.read(body: UnsafeRawBufferPointer(rebasing: all[4...]))
            }
            guard let hello = parsed else { fail(&events); return }
            events.serverHello = hello
            if hello.isHelloRetryRequest {
                events.helloRetryRequested = true
                helloBuffer.removeAll(keepingCapacity: true)
            } else {
                awaitingServerHello = false
                helloBuffer = [] // O(1) from here on
            }
        }
    }

    private mutating func fail(_ events: inout TLSServerEvents) {
        events.notTLS = true
        stop()
    }

    private mutating func stop() {
        stopped = true
        helloBuffer = []
    }
}
