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
}

/// Where the client's stream is in its first bytes.
private enum ClientPhase {
    /// No client byte yet.
    case unknown
    /// The stream starts like "CONNECT "; waiting for the end of the request header block.
    case connectRequest
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
    /// Skip parsing until the client's contiguous bytes reach this count.
    private var clientParseAt = 0
    /// Where to resume scanning for CRLFCRLF / the next client record.
    private var clientScanOffset = 0
    private var serverScanOffset = 0
    private var serverBytesWalked = 0
    private let serverWalkLimit: Int
    private(set) var decision: HandshakeDecision?

    /// `serverWalkLimit`: in-order server bytes walked before giving up (the walker keeps no bytes).
    init(serverWalkLimit: Int) {
        self.serverWalkLimit = serverWalkLimit
    }

    // MARK: - Segments

    /// A client segment: `sequence` is the sequence number of its first payload byte;
    /// `streamStart` the client's first stream byte if known (ISN + 1), else this segment's.
    func clientSegment(sequence: UInt32, streamStart: UInt32?, payload: UnsafeRawBufferPointer,
                       moment: PacketMoment, record: inout TCPFlowRecord, pool: inout ReassemblyWindowPool) {
        guard decision == nil else { return }
        guard clientPhase != .done else { return }
        var stream = client ?? StreamReassembler(baseSequence: streamStart ?? sequence)
        client = nil
        let outcome = stream.insert(sequence: sequence, payload: payload, pool: &pool)
        record.clientDuplicateSegments = stream.duplicateSegments
        client = stream
        if outcome == .advanced {
            record.clientFirstBytesCollected = stream.contiguous
            advanceClient(moment: moment, record: &record)
        }
        if decision == nil, clientPhase != .done, clientPhase != .watchingRecords, stream.overflowed {
            decide(.limit, record: &record)
        }
        if decision == nil { advanceServer(moment: moment, record: &record) }
        if clientPhase == .done || decision != nil { client?.releaseWindow(to: &pool) }
    }

    /// A server segment; arguments as for `clientSegment`.
    func serverSegment(sequence: UInt32, streamStart: UInt32?, payload: UnsafeRawBufferPointer,
                       moment: PacketMoment, record: inout TCPFlowRecord, pool: inout ReassemblyWindowPool) {
        guard decision == nil else { return }
        var stream = server ?? StreamReassembler(baseSequence: streamStart ?? sequence)
        server = nil
        let outcome = stream.insert(sequence: sequence, payload: payload, pool: &pool)
        server = stream
        if outcome == .advanced { advanceServer(moment: moment, record: &record) }
        if decision == nil, let stream = server, stream.overflowed {
            decide(.limit, record: &record)
        }
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
            } else if stream.withContiguousBytes({ HTTPHeaderBlock.mayBeConnect($0) }) {
                clientPhase = .connectRequest
            } else {
                clientPhase = .done
                decide(.notTLS, record: &record)
                return
            }
        }
        if clientPhase == .connectRequest { advanceConnectRequest(stream, record: &record) }
        if clientPhase == .clientHello { advanceClientHello(stream, moment: moment, record: &record) }
        if clientPhase == .watchingRecords { watchClientRecords(stream, moment: moment, record: &record) }
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
            record.clientHelloSegments = stream.segmentsStarting(in: clientTLSStart, helloEnd)
            record.tls = record.tls.advanced(to: .clientHelloSent)
            clientScanOffset = helloEnd
            clientPhase = .watchingRecords
        case .needMoreBytes?:
            if stream.contiguous >= stream.capacity { decide(.limit, record: &record) }
        case .notThisProtocol?:
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
        guard decision == nil, var stream = server else { return }
        server = nil
        defer { server = stream }
        if serverPhase == .waitingForClient {
            switch clientPhase {
            case .unknown, .connectRequest:
                return
            case .clientHello, .watchingRecords, .done:
                serverPhase = record.connect != nil ? .proxyResponse : .tls
            }
        }
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
                decide(.notTLS, record: &record)
                return
            }
            record.connectStatus = status
            stream.discardPrefix(headerEnd)
            guard (200..<300).contains(status) else {
                decide(.notTLS, record: &record)
                return
            }
            serverPhase = .tls
        }
        // serverPhase == .tls: walk every in-order byte, then slide the window.
        let count = stream.contiguous
        guard count > 0 else { return }
        stream.withContiguousBytes { walker.feed($0) }
        stream.discardPrefix(count)
        serverBytesWalked = serverBytesWalked &+ count
        apply(walker.events, moment: moment, record: &record)
        if decision == nil, serverBytesWalked >= serverWalkLimit { decide(.limit, record: &record) }
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
            decide(.established, record: &record)
        } else if let alert = events.alert {
            record.alert = alert
            record.alertFromServer = true
            record.alertAt = moment
            record.tls = record.tls.advanced(to: .alert)
            decide(.alert, record: &record)
        } else if events.notTLS {
            decide(.notTLS, record: &record)
        }
    }

    // MARK: - Decision

    private func decide(_ outcome: HandshakeDecision, record: inout TCPFlowRecord) {
        guard decision == nil else { return }
        decision = outcome
        if outcome == .limit { record.firstBytesLimitHit = true }
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
