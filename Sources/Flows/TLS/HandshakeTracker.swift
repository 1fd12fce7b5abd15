import Decode

// Per-flow application-layer state while a TLS (or CONNECT + TLS) handshake is undecided.
// Created lazily on a flow's first payload byte; dropped, with its windows returned to the pool,
// as soon as the handshake is decided.

/// Why a flow's handshake tracking ended.
enum HandshakeDecision: Equatable {
    case established
    case alert
    case notTLS
    case limit
    /// The capture's snaplen cut a segment whose bytes were needed.
    case truncated
    /// No reassembly window was free (`FlowLimits.maxReassemblyBuffers`).
    case noBuffer
}

/// Where the client's stream is in its first bytes.
private enum ClientPhase {
    /// No client byte yet.
    case unknown
    /// The stream starts like "CONNECT "; waiting for the end of the request header block.
    case connectRequest
    /// The stream starts with something else: looking, within `preambleLimit` bytes, for a
    /// ClientHello after another protocol's opening (STARTTLS-like: PostgreSQL SSLRequest, MySQL
    /// SSL request, SOCKS).
    case seekingClientHello
    /// Collecting the ClientHello (after the CONNECT header, for a tunnel).
    case clientHello
    /// ClientHello parsed; watching the next cleartext records for an alert.
    case watchingRecords
    /// Nothing more to learn from the client.
    case done
}

/// Where the server's stream is.
private enum ServerPhase {
    /// Holding the server's bytes until the client's first bytes say what protocol this is.
    case waitingForClient
    /// Reading the proxy's response header block.
    case proxyResponse
    /// The client's TLS (if any) follows another protocol: looking for a ServerHello record.
    case seekingServerHello
    /// Feeding in-order bytes to the TLS record walker.
    case tls
}

final class HandshakeTracker<Parsers: ApplicationParsers> {
    private var client: StreamReassembler?
    private var server: StreamReassembler?
    private var clientPhase = ClientPhase.unknown
    private var serverPhase = ServerPhase.waitingForClient
    private var walker = Parsers.ServerWalker()
    /// Window offset where TLS starts in the client stream (after a CONNECT header block).
    private var clientTLSStart = 0
    /// The stream's first byte had the high bit set and is being read as an SSL 2.0 CLIENT-HELLO.
    private var triedSSLv2Hello = false
    /// Skip parsing until the client's contiguous bytes reach this count.
    private var clientParseAt = 0
    /// Where to resume scanning for CRLFCRLF / the next client record.
    private var clientScanOffset = 0
    private var serverScanOffset = 0
    private var serverBytesWalked = 0
    /// Server bytes skipped while seeking a ServerHello after a preamble.
    private var serverPreambleSkipped = 0
    private let serverWalkLimit: Int
    /// Bytes of another protocol, each way, before TLS is given up on.
    static var preambleLimit: Int { 1_024 }
    /// What the server side decided; the flow's decision waits until the client's ClientHello is
    /// no longer being collected (capture order can put the server's reply before the hello's end).
    private var serverOutcome: HandshakeDecision?
    private(set) var decision: HandshakeDecision?

    /// `serverWalkLimit`: in-order server bytes walked before giving up (the walker keeps no bytes).
    init(serverWalkLimit: Int) {
        self.serverWalkLimit = serverWalkLimit
    }

    // MARK: - Segments

    /// A client segment: `sequence` is the sequence number of its first payload byte;
    /// `streamStart` the client's first stream byte if known (ISN + 1), else this segment's.
    /// `truncated`: the snaplen cut this segment's payload.
    func clientSegment(sequence: UInt32, streamStart: UInt32?, payload: UnsafeRawBufferPointer, truncated: Bool,
                       moment: PacketMoment, record: inout TCPFlowRecord, pool: inout ReassemblyWindowPool) {
        guard decision == nil else { return }
        guard clientPhase != .done else { return }
        var stream = client ?? StreamReassembler(baseSequence: streamStart ?? sequence)
        client = nil
        let outcome = stream.insert(sequence: sequence, payload: payload, pool: &pool)
        record.clientDuplicateSegments = stream.duplicateSegments
        client = stream
        if stream.windowUnavailable {
            decide(.noBuffer, record: &record)
            return
        }
        if outcome == .advanced {
            record.clientFirstBytesCollected = stream.contiguous
            advanceClient(moment: moment, record: &record)
        }
        let collecting = clientPhase == .unknown || clientPhase == .connectRequest || clientPhase == .clientHello
        if decision == nil, collecting, stream.overflowed {
            decide(.limit, record: &record)
        }
        if decision == nil, collecting, truncated {
            decide(.truncated, record: &record)   // the bytes after the cut will never be seen
        }
        if !collecting, stream.overflowed { clientPhase = .done }
        if decision == nil { advanceServer(moment: moment, record: &record) }
        settle(record: &record)
        if clientPhase == .done || decision != nil { client?.releaseWindow(to: &pool) }
    }

    /// A server segment; arguments as for `clientSegment`.
    func serverSegment(sequence: UInt32, streamStart: UInt32?, payload: UnsafeRawBufferPointer, truncated: Bool,
                       moment: PacketMoment, record: inout TCPFlowRecord, pool: inout ReassemblyWindowPool) {
        guard decision == nil, serverOutcome == nil else { return }
        var stream = server ?? StreamReassembler(baseSequence: streamStart ?? sequence)
        server = nil
        if serverPhase == .tls, stream.isEmpty, sequence == stream.baseSequence {
            // In order with nothing held: walk the segment in place, no window needed.
            stream.advanceEmpty(by: payload.count)
            server = stream
            walk(payload, moment: moment, record: &record)
            if decision == nil, serverOutcome == nil, truncated { serverOutcome = .truncated }
            settle(record: &record)
            return
        }
        let outcome = stream.insert(sequence: sequence, payload: payload, pool: &pool)
        server = stream
        if stream.windowUnavailable {
            decide(.noBuffer, record: &record)
            return
        }
        if outcome == .advanced { advanceServer(moment: moment, record: &record) }
        if decision == nil, serverOutcome == nil, let stream = server, stream.overflowed {
            decide(.limit, record: &record)
        }
        if decision == nil, serverOutcome == nil, truncated {
            serverOutcome = .truncated
        }
        settle(record: &record)
        if serverOutcome != nil || decision != nil { server?.releaseWindow(to: &pool) }
    }

    /// Returns both windows to the pool. Call once the flow ends or the handshake is decided.
    func release(to pool: inout ReassemblyWindowPool) {
        client?.releaseWindow(to: &pool)
        server?.releaseWindow(to: &pool)
        client = nil
        server = nil
    }

    // MARK: - Client

    private func advanceClient(moment: PacketMoment, record: inout TCPFlowRecord) {
        guard let stream = client else { return }
        if clientPhase == .unknown {
            let first: UInt8? = stream.withContiguousBytes { $0.first }
            guard let first else { return }
            if first == TLSRecordFraming.handshake {
                clientPhase = .clientHello
            } else if ClientHelloParser.mayStartClientHello(first) {
                // An SSL 2.0 record header: an SSLv2-format CLIENT-HELLO (RFC 5246 E.2), else
                // (the parser says so) back to seeking a ClientHello after some other opening.
                clientPhase = .clientHello
                triedSSLv2Hello = true
            } else if stream.withContiguousBytes({ HTTPHeaderBlock.mayBeConnect($0) }) {
                clientPhase = .connectRequest
            } else {
                clientPhase = .seekingClientHello
            }
        }
        if clientPhase == .seekingClientHello { seekClientHello(stream, record: &record) }
        if clientPhase == .connectRequest { advanceConnectRequest(stream, record: &record) }
        if clientPhase == .clientHello { advanceClientHello(stream, moment: moment, record: &record) }
        if clientPhase == .watchingRecords { watchClientRecords(stream, moment: moment, record: &record) }
    }

    private func seekClientHello(_ stream: StreamReassembler, record: inout TCPFlowRecord) {
        let found = stream.withContiguousBytes { TLSRecordFraming.findHandshakeRecord(in: $0, from: clientScanOffset, type: 1) }
        if let start = found {
            clientTLSStart = start
            clientParseAt = 0
            clientPhase = .clientHello
            return
        }
        clientScanOffset = max(0, stream.contiguous - TLSRecordFraming.handshakeRecordPrefix + 1)
        if stream.contiguous >= min(Self.preambleLimit, stream.capacity) {
            clientPhase = .done
            decide(.notTLS, record: &record)
        }
    }

    private func advanceConnectRequest(_ stream: StreamReassembler, record: inout TCPFlowRecord) {
        let looksLikeConnect = stream.withContiguousBytes { HTTPHeaderBlock.mayBeConnect($0) }
        guard looksLikeConnect else {
            clientPhase = .done
            decide(.notTLS, record: &record)
            return
        }
        let headerEnd = stream.withContiguousBytes { HTTPHeaderBlock.end(in: $0, from: clientScanOffset) }
        guard let headerEnd else {
            clientScanOffset = max(0, stream.contiguous - 3)
            if stream.contiguous >= stream.capacity { decide(.limit, record: &record) }
            return
        }
        let progress = stream.withContiguousBytes { bytes in
            Parsers.parseConnectRequest(UnsafeRawBufferPointer(rebasing: bytes[0..<headerEnd]))  // headerEnd <= bytes.count
        }
        switch progress {
        case .complete(let request):
            record.connect = request
            clientTLSStart = headerEnd
            clientPhase = .clientHello
        case .needMoreBytes, .notThisProtocol:
            clientPhase = .done
            decide(.notTLS, record: &record)
        }
    }

    private func advanceClientHello(_ stream: StreamReassembler, moment: PacketMoment, record: inout TCPFlowRecord) {
        let available = stream.contiguous - clientTLSStart
        guard available > 0, stream.contiguous >= clientParseAt else { return }
        let tlsCapacity = stream.capacity - clientTLSStart
        let progress = stream.withContiguousBytes(from: clientTLSStart) { bytes -> ParseProgress<ClientHelloInfo>? in
            if let needed = TLSRecordFraming.clientHelloBytesNeeded(bytes, capacity: tlsCapacity), needed > bytes.count {
                clientParseAt = clientTLSStart + needed
                return nil
            }
            return Parsers.parseClientHello(bytes)
        }
        switch progress {
        case nil:
            return
        case .complete(let info)?:
            record.clientHello = info
            record.clientHelloCompleted = moment
            let helloEnd = clientTLSStart + max(0, info.recordBytes)
            // Segments whose first new byte lies in the hello, plus the one carrying its first byte
            // when that segment began earlier (with a CONNECT request or another protocol's preamble).
            let carriedIn = stream.segmentsStarting(in: clientTLSStart, clientTLSStart + 1) == 0 ? 1 : 0
            record.clientHelloSegments = stream.segmentsStarting(in: clientTLSStart, helloEnd) + carriedIn
            record.tls = record.tls.advanced(to: .clientHelloSent)
            clientScanOffset = helloEnd
            clientPhase = .watchingRecords
        case .needMoreBytes?:
            if stream.contiguous >= stream.capacity { decide(.limit, record: &record) }
        case .notThisProtocol?:
            if triedSSLv2Hello {
                // The high bit belonged to another protocol's first byte, not an SSL 2.0 header.
                triedSSLv2Hello = false
                clientPhase = .seekingClientHello
                seekClientHello(stream, record: &record)
                if clientPhase == .clientHello { advanceClientHello(stream, moment: moment, record: &record) }
                return
            }
            clientPhase = .done
            decide(.notTLS, record: &record)
        }
    }

    private func watchClientRecords(_ stream: StreamReassembler, moment: PacketMoment, record: inout TCPFlowRecord) {
        let scan = stream.withContiguousBytes { TLSRecordFraming.scanClientRecords($0, from: clientScanOffset) }
        switch scan {
        case .needMoreBytes(let resumeAt):
            clientScanOffset = resumeAt
            if stream.contiguous >= stream.capacity { clientPhase = .done }
        case .alert(let level, let description):
            clientPhase = .done
            record.alert = TLSAlert(level: level, description: description)
            record.alertFromServer = false
            record.alertAt = moment
            record.tls = record.tls.advanced(to: .alert)
            decide(.alert, record: &record)
        case .stop:
            clientPhase = .done
        }
    }

    // MARK: - Server

    private func advanceServer(moment: PacketMoment, record: inout TCPFlowRecord) {
        guard decision == nil, serverOutcome == nil else { return }
        if serverPhase == .waitingForClient {
            switch clientPhase {
            case .unknown:
                // A TLS client speaks first: a server that talks on alone is some other protocol.
                if let stream = server, stream.contiguous >= Self.preambleLimit { serverOutcome = .notTLS }
                return
            case .connectRequest:
                return
            case .seekingClientHello:
                serverPhase = .seekingServerHello
            case .clientHello, .watchingRecords, .done:
                if record.connect != nil {
                    serverPhase = .proxyResponse
                } else {
                    serverPhase = clientTLSStart > 0 ? .seekingServerHello : .tls
                }
            }
        }
        guard var stream = server else { return }
        server = nil
        defer { server = stream }
        if serverPhase == .proxyResponse {
            let headerEnd = stream.withContiguousBytes { HTTPHeaderBlock.end(in: $0, from: serverScanOffset) }
            guard let headerEnd else {
                serverScanOffset = max(0, stream.contiguous - 3)
                if stream.contiguous >= stream.capacity, stream.capacity > 0 { decide(.limit, record: &record) }
                return
            }
            let progress = stream.withContiguousBytes { bytes in
                Parsers.parseConnectResponseStatus(UnsafeRawBufferPointer(rebasing: bytes[0..<headerEnd]))  // headerEnd <= bytes.count
            }
            guard case .complete(let status) = progress else {
                serverOutcome = .notTLS
                return
            }
            record.connectStatus = status
            stream.discardPrefix(headerEnd)
            guard (200..<300).contains(status) else {
                serverOutcome = .notTLS
                return
            }
            serverPhase = .tls
        }
        if serverPhase == .seekingServerHello {
            let found = stream.withContiguousBytes { TLSRecordFraming.findHandshakeRecord(in: $0, from: 0, type: 2) }
            if let start = found {
                stream.discardPrefix(start)
                serverPhase = .tls
            } else {
                // Keep only a possible partial record header; the rest is the other protocol's.
                let skip = max(0, stream.contiguous - TLSRecordFraming.handshakeRecordPrefix + 1)
                stream.discardPrefix(skip)
                serverPreambleSkipped = serverPreambleSkipped &+ skip
                if serverPreambleSkipped >= Self.preambleLimit { serverOutcome = .notTLS }
                return
            }
        }
        // serverPhase == .tls: walk every in-order byte, then slide the window.
        let count = stream.contiguous
        guard count > 0 else { return }
        stream.withContiguousBytes { walk($0, moment: moment, record: &record) }
        stream.discardPrefix(count)
    }

    /// Feeds in-order server bytes to the walker and records what it found.
    private func walk(_ bytes: UnsafeRawBufferPointer, moment: PacketMoment, record: inout TCPFlowRecord) {
        walker.feed(bytes)
        serverBytesWalked = serverBytesWalked &+ bytes.count
        apply(walker.events, moment: moment, record: &record)
        if decision == nil, serverOutcome == nil, serverBytesWalked >= serverWalkLimit { decide(.limit, record: &record) }
    }

    private func apply(_ events: TLSServerEvents, moment: PacketMoment, record: inout TCPFlowRecord) {
        if let hello = events.serverHello, record.serverHello != hello {
            record.serverHello = hello
            record.serverHelloAt = moment
            record.tls = record.tls.advanced(to: .serverHelloSeen)
        }
        if events.handshakeFinished {
            record.establishedAt = moment
            record.tls = record.tls.advanced(to: .established)
            serverOutcome = .established
        } else if let alert = events.alert {
            record.alert = alert
            record.alertFromServer = true
            record.alertAt = moment
            record.tls = record.tls.advanced(to: .alert)
            serverOutcome = .alert
        } else if events.notTLS {
            serverOutcome = .notTLS
        }
    }

    // MARK: - Decision

    /// Adopts the server's outcome once the client's ClientHello is no longer being collected.
    private func settle(record: inout TCPFlowRecord) {
        guard decision == nil, let outcome = serverOutcome else { return }
        switch clientPhase {
        case .watchingRecords, .done:
            decide(outcome, record: &record)
        case .seekingClientHello, .unknown:
            if case .notTLS = outcome { decide(outcome, record: &record) }  // no TLS from this client
        case .connectRequest, .clientHello:
            if case .notTLS = outcome, record.connect != nil, record.connectStatus.map({ !(200..<300).contains($0) }) == true {
                decide(outcome, record: &record)   // the proxy refused: no TLS will follow
            }
        }
    }

    private func decide(_ outcome: HandshakeDecision, record: inout TCPFlowRecord) {
        guard decision == nil else { return }
        decision = outcome
        switch outcome {
        case .limit: record.firstBytesLimitHit = true
        case .truncated: record.firstBytesTruncated = true
        case .established, .alert, .notTLS, .noBuffer: break
        }
    }
}

extension TLSProgress {
    /// Handshake progress only moves forward: none < clientHelloSent < serverHelloSeen < established/alert.
    func advanced(to next: TLSProgress) -> TLSProgress {
        rank(next) > rank(self) ? next : self
    }

    private func rank(_ progress: TLSProgress) -> Int {
        switch progress {
        case .none: 0
        case .clientHelloSent: 1
        case .serverHelloSeen: 2
        case .established, .alert: 3
        }
    }
}
