import Capture
import Decode

// The flow-tracking engine behind `FlowTracker`, generic over the application parsers so tests can
// drive it with fakes. Per packet: one hash-index lookup on an inline key, counters, the Zeek state
// machine, and (only while a handshake is undecided) reassembly and parsing.

/// One TCP flow in the table.
struct ActiveFlow<Parsers: ApplicationParsers> {
    var key: FlowKey
    /// True when the client is the key's "low" endpoint.
    var clientIsLow: Bool
    var record: TCPFlowRecord
    var states: TCPConnectionStates
    /// Sequence number of the client's SYN (or the SYN-ACK's ack - 1), and of the server's SYN-ACK.
    var clientISN: UInt32?
    var serverISN: UInt32?
    /// When the flow became closed (both FINs, or a RST); it lingers from then.
    var closedAt: Timestamp?
    /// The server's highest acknowledgement number (serial arithmetic).
    var serverHighestAck: UInt32?
    var handshake: HandshakeTracker<Parsers>?
    var dnsStream: DNSStreamTracker?
    /// True once payload no longer needs looking at (handshake decided, or DNS framing abandoned).
    var applicationDone = false
    var isActive = true
    var generation: UInt32 = 0
    /// LRU links (slot indices, -1 for none): `newer` towards the most recently active flow.
    var newer: Int32 = -1
    var older: Int32 = -1
}

/// The engine's state. A struct, driven through one mutating call per packet on the memory
/// `FlowEngine` owns (no dynamic exclusivity check per field access, nor per packet).
struct FlowEngineCore<Parsers: ApplicationParsers> {
    let limits: FlowLimits
    private(set) var counters = FlowCounters()
    private let retainFlow: (TCPFlowRecord) -> Bool

    // MARK: Table
    private var index = FlowIndex()
    private var slots: [ActiveFlow<Parsers>] = []
    private var freeSlots: [Int32] = []
    private var newest: Int32 = -1
    private var oldest: Int32 = -1
    private(set) var activeFlowCount = 0

    private struct Closing {
        var slot: Int32
        var generation: UInt32
        var closedAt: Timestamp
    }
    private var closing = FIFOQueue<Closing>()

    // MARK: Other state
    private(set) var pool: ReassemblyWindowPool
    private var dns: DNSTransactionTable
    private var retained: [TCPFlowRecord] = []
    /// How many of `retained` carried neither a ClientHello nor a CONNECT.
    private var retainedWithoutHandshake = 0
    private var captureStart: Timestamp?
    private var captureEnd: Timestamp?
    /// Latest packet time seen: the clock for timeouts (never goes backwards).
    private var clock = Timestamp(nanoseconds: Int64.min)

    private let idleNanoseconds: Int64
    private let lingerNanoseconds: Int64

    /// Client SYNs kept per flow as moments (all are counted).
    static var recordedSynLimit: Int { 8 }
    /// Sweep work per packet (each sweep step finishes at most one flow or one DNS query).
    static var sweepBudget: Int { 16 }

    init(limits: FlowLimits, retainFlow: @escaping (TCPFlowRecord) -> Bool) {
        self.limits = limits
        self.retainFlow = retainFlow
        pool = ReassemblyWindowPool(windowCapacity: max(0, limits.maxFirstBytes), maxInUse: max(0, limits.maxReassemblyBuffers))
        dns = DNSTransactionTable(limits: limits)
        idleNanoseconds = Self.nanoseconds(limits.idleTimeoutSeconds)
        lingerNanoseconds = Self.nanoseconds(limits.closedLingerSeconds)
    }

    private static func nanoseconds(_ seconds: Int64) -> Int64 {
        let (value, overflow) = max(0, seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : value
    }

    // MARK: - Packets

    mutating func process(_ packet: DecodedPacket) {
        if captureStart == nil || packet.timestamp < (captureStart ?? packet.timestamp) { captureStart = packet.timestamp }
        if captureEnd == nil || (captureEnd ?? packet.timestamp) < packet.timestamp { captureEnd = packet.timestamp }
        if clock < packet.timestamp { clock = packet.timestamp }
        sweep(budget: Self.sweepBudget)

        switch packet.transport {
        case .tcp(let tcp):
            counters.tcpPackets &+= 1
            processTCP(packet, tcp)
        case .udp(let sourcePort, let destinationPort):
            counters.udpPackets &+= 1
            if sourcePort == 53 || destinationPort == 53 {
                processDNSDatagram(packet, sourcePort: sourcePort, destinationPort: destinationPort)
            }
        }
    }

    // MARK: - TCP

    private mutating func processTCP(_ packet: DecodedPacket, _ tcp: TCPHeaderFields) {
        let flags = TCPFlagsView(tcp.flags)
        let (key, sourceIsLow) = FlowKey.of(source: packet.source, sourcePort: tcp.sourcePort,
                                            destination: packet.destination, destinationPort: tcp.destinationPort)
        var slot = index.slot(for: key)
        if let existing = slot, flags.syn, isPortReuse(slots[Int(existing)], sourceIsLow: sourceIsLow, flags: flags, tcp: tcp) {
            counters.flowsEndedByPortReuse &+= 1
            finishFlow(existing, eviction: nil, openAtCaptureEnd: false)
            slot = nil
        }
        let current = slot ?? createFlow(key: key, sourceIsLow: sourceIsLow, packet: packet, tcp: tcp, flags: flags)
        let position = Int(current)
        guard position >= 0, position < slots.count else { return }
        let fromClient = sourceIsLow == slots[position].clientIsLow
        let becameClosed = Self.update(&slots[position], fromClient: fromClient, flags: flags, tcp: tcp, packet: packet,
                                       clock: clock, maxFirstBytes: limits.maxFirstBytes,
                                       pool: &pool, counters: &counters, dns: &dns)
        touch(current)
        if becameClosed {
            closing.append(Closing(slot: current, generation: slots[position].generation, closedAt: clock))
        }
    }

    /// Zeek's reuse rule: a SYN (no ACK) whose sequence number is not the flow's client ISN starts a
    /// new flow, as does a SYN-ACK with a new ISN on a flow whose client never sent a SYN.
    private func isPortReuse(_ flow: ActiveFlow<Parsers>, sourceIsLow: Bool, flags: TCPFlagsView, tcp: TCPHeaderFields) -> Bool {
        if !flags.ack {
            guard let isn = flow.clientISN else { return true }  // a flow seen mid-stream meets its first SYN
            return tcp.sequenceNumber != isn
        }
        guard flow.states.client == .inactive, let isn = flow.serverISN else { return false }
        return tcp.sequenceNumber != isn
    }

    private mutating func createFlow(key: FlowKey, sourceIsLow: Bool, packet: DecodedPacket, tcp: TCPHeaderFields,
                            flags: TCPFlagsView) -> Int32 {
        if activeFlowCount >= max(1, limits.maxActiveFlows), oldest >= 0 {
            counters.flowsEvictedAtLimit &+= 1
            finishFlow(oldest, eviction: .activeFlowLimit, openAtCaptureEnd: false)
        }
        let senderIsClient: Bool
        let partial: Bool
        if flags.syn {
            senderIsClient = !flags.ack
            partial = false
        } else {
            senderIsClient = MidstreamClientRule.senderIsClient(sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort,
                                                                isSynAck: false)
            partial = true
        }
        let moment = PacketMoment(time: packet.timestamp, ref: packet.ref)
        var record = senderIsClient
            ? TCPFlowRecord(client: packet.source, clientPort: tcp.sourcePort, server: packet.destination,
                            serverPort: tcp.destinationPort, first: moment)
            : TCPFlowRecord(client: packet.destination, clientPort: tcp.destinationPort, server: packet.source,
                            serverPort: tcp.sourcePort, first: moment)
        record.partial = partial
        var flow = ActiveFlow<Parsers>(key: key, clientIsLow: senderIsClient == sourceIsLow, record: record,
                                       states: TCPConnectionStates(startedWithClientSyn: flags.syn && !flags.ack))
        counters.flowsSeen &+= 1
        activeFlowCount += 1
        let slot: Int32
        if let reused = freeSlots.popLast(), Int(reused) < slots.count {
            flow.generation = slots[Int(reused)].generation &+ 1
            slots[Int(reused)] = flow
            slot = reused
        } else {
            slot = Int32(truncatingIfNeeded: slots.count)
            slots.append(flow)
        }
        index.set(slot, for: key)
        linkNewest(slot)
        return slot
    }

    /// Applies one packet to its flow. Returns true when the flow just became closed.
    private static func update(_ flow: inout ActiveFlow<Parsers>, fromClient: Bool, flags: TCPFlagsView,
                               tcp: TCPHeaderFields, packet: DecodedPacket, clock: Timestamp, maxFirstBytes: Int,
                               pool: inout ReassemblyWindowPool, counters: inout FlowCounters,
                               dns: inout DNSTransactionTable) -> Bool {
        let moment = PacketMoment(time: packet.timestamp, ref: packet.ref)
        let payloadLength = Int64(max(0, packet.payloadLength))
        if flow.record.last.time <= moment.time { flow.record.last = moment }
        if fromClient {
            flow.record.packetsToServer &+= 1
            flow.record.bytesToServer &+= payloadLength
        } else {
            flow.record.packetsToClient &+= 1
            flow.record.bytesToClient &+= payloadLength
        }
        if flags.syn {
            if fromClient && !flags.ack {
                flow.record.synCount &+= 1
                if flow.record.syns.count < Self.recordedSynLimit { flow.record.syns.append(moment) }
                if flow.clientISN == nil { flow.clientISN = tcp.sequenceNumber }
            } else if !fromClient && flags.ack {
                if flow.record.synAck == nil { flow.record.synAck = moment }
                if flow.serverISN == nil { flow.serverISN = tcp.sequenceNumber }
                if flow.clientISN == nil { flow.clientISN = tcp.acknowledgementNumber &- 1 }
            }
        }
        if flags.rst {
            if fromClient { if flow.record.clientReset == nil { flow.record.clientReset = moment } }
            else if flow.record.serverReset == nil { flow.record.serverReset = moment }
        }
        if flags.fin {
            if fromClient { if flow.record.clientFin == nil { flow.record.clientFin = moment } }
            else if flow.record.serverFin == nil { flow.record.serverFin = moment }
        }
        if !fromClient && flags.ack && !flags.rst {
            let ack = tcp.acknowledgementNumber
            if let highest = flow.serverHighestAck {
                if Int32(bitPattern: ack &- highest) > 0 { flow.serverHighestAck = ack }
            } else {
                flow.serverHighestAck = ack
            }
        }
        let wasClosed = flow.states.isClosed
        flow.states.apply(fromClient: fromClient, flags: flags, payloadLength: Int(payloadLength))
        let becameClosed = !wasClosed && flow.states.isClosed
        if becameClosed { flow.closedAt = clock }

        if !flow.applicationDone && packet.payload.count > 0 {
            // A SYN occupies one sequence number before the data it carries (RFC 9293 §3.4).
            let sequence = tcp.sequenceNumber &+ (flags.syn ? 1 : 0)
            if flow.record.serverPort == 53 || flow.record.clientPort == 53 {
                dnsSegment(&flow, fromClient: fromClient, sequence: sequence, packet: packet, moment: moment,
                           pool: &pool, counters: &counters, dns: &dns)
            } else {
                handshakeSegment(&flow, fromClient: fromClient, sequence: sequence, packet: packet, moment: moment,
                                 maxFirstBytes: maxFirstBytes, pool: &pool, counters: &counters)
            }
        }
        return becameClosed
    }

    // MARK: - Application layer over TCP

    private static func handshakeSegment(_ flow: inout ActiveFlow<Parsers>, fromClient: Bool, sequence: UInt32,
                                         packet: DecodedPacket, moment: PacketMoment, maxFirstBytes: Int,
                                         pool: inout ReassemblyWindowPool, counters: inout FlowCounters) {
        let tracker = flow.handshake ?? HandshakeTracker<Parsers>(serverWalkLimit: max(0, maxFirstBytes) &* 4)
        flow.handshake = tracker
        if fromClient {
            tracker.clientSegment(sequence: sequence, streamStart: flow.clientISN.map { $0 &+ 1 }, payload: packet.payload,
                                  truncated: packet.isPayloadTruncated, moment: moment, record: &flow.record, pool: &pool)
        } else {
            tracker.serverSegment(sequence: sequence, streamStart: flow.serverISN.map { $0 &+ 1 }, payload: packet.payload,
                                  truncated: packet.isPayloadTruncated, moment: moment, record: &flow.record, pool: &pool)
        }
        guard let decision = tracker.decision else { return }
        switch decision {
        case .limit: counters.firstBytesLimitHit &+= 1
        case .truncated: counters.firstBytesTruncated &+= 1
        case .noBuffer: counters.reassemblyBuffersExhausted &+= 1
        case .established, .alert, .notTLS: break
        }
        tracker.release(to: &pool)
        flow.handshake = nil
        flow.applicationDone = true
    }

    private static func dnsSegment(_ flow: inout ActiveFlow<Parsers>, fromClient: Bool, sequence: UInt32,
                                   packet: DecodedPacket, moment: PacketMoment, pool: inout ReassemblyWindowPool,
                                   counters: inout FlowCounters, dns: inout DNSTransactionTable) {
        let tracker = flow.dnsStream ?? DNSStreamTracker(maxMessageBytes: 65_535)
        flow.dnsStream = tracker
        let streamStart = fromClient ? flow.clientISN.map { $0 &+ 1 } : flow.serverISN.map { $0 &+ 1 }
        guard case .tcp(let tcp) = packet.transport else { return }
        let context = DNSMessageContext(source: packet.source, sourcePort: tcp.sourcePort,
                                        destination: packet.destination, destinationPort: tcp.destinationPort,
                                        transport: .tcp, moment: moment)
        let oversizedBefore = tracker.oversizedMessages
        tracker.segment(fromClient: fromClient, sequence: sequence, streamStart: streamStart, payload: packet.payload,
                        pool: &pool) { bytes in
            recordDNS(bytes, context: context, dns: &dns, counters: &counters)
        }
        counters.dnsTCPOversized &+= Int64(tracker.oversizedMessages - oversizedBefore)
        if tracker.abandoned {
            if tracker.noBuffer { counters.reassemblyBuffersExhausted &+= 1 }
            tracker.release(to: &pool)
            flow.dnsStream = nil
            flow.applicationDone = true
        }
    }

    // MARK: - DNS over UDP

    private mutating func processDNSDatagram(_ packet: DecodedPacket, sourcePort: UInt16, destinationPort: UInt16) {
        let context = DNSMessageContext(source: packet.source, sourcePort: sourcePort, destination: packet.destination,
                                        destinationPort: destinationPort, transport: .udp,
                                        moment: PacketMoment(time: packet.timestamp, ref: packet.ref))
        Self.recordDNS(packet.payload, context: context, dns: &dns, counters: &counters)
    }

    private static func recordDNS(_ bytes: UnsafeRawBufferPointer, context: DNSMessageContext,
                                  dns: inout DNSTransactionTable, counters: inout FlowCounters) {
        guard let message = Parsers.parseDNS(bytes) else {
            counters.dnsMessages &+= 1
            counters.dnsMalformed &+= 1
            return
        }
        dns.record(message, context: context, counters: &counters)
    }

    // MARK: - Sweeps

    /// Finishes lingering closed flows and idle flows, and times out DNS queries; bounded work.
    private mutating func sweep(budget: Int) {
        var work = 0
        while work < budget, let front = closing.first, front.closedAt.adding(nanoseconds: lingerNanoseconds) <= clock {
            work += 1
            _ = closing.popFirst()
            let position = Int(front.slot)
            guard position >= 0, position < slots.count, slots[position].isActive,
                  slots[position].generation == front.generation else { continue }
            finishFlow(front.slot, eviction: nil, openAtCaptureEnd: false)
        }
        while work < budget, oldest >= 0, Int(oldest) < slots.count,
              slots[Int(oldest)].record.last.time.adding(nanoseconds: idleNanoseconds) <= clock {
            work += 1
            let closed = slots[Int(oldest)].closedAt != nil
            if !closed { counters.flowsEvictedIdle &+= 1 }
            finishFlow(oldest, eviction: closed ? nil : .idle, openAtCaptureEnd: false)
        }
        dns.expire(now: clock, budget: max(1, budget - work), counters: &counters)
    }

    // MARK: - Finishing

    private mutating func finishFlow(_ slot: Int32, eviction: FlowEviction?, openAtCaptureEnd: Bool) {
        let position = Int(slot)
        guard position >= 0, position < slots.count, slots[position].isActive else { return }
        slots[position].handshake?.release(to: &pool)
        slots[position].dnsStream?.release(to: &pool)
        slots[position].handshake = nil
        slots[position].dnsStream = nil
        slots[position].isActive = false
        let flow = slots[position]
        var record = flow.record
        record.state = flow.states.connState(clientBytes: record.bytesToServer, serverBytes: record.bytesToClient)
        record.eviction = eviction
        record.openAtCaptureEnd = openAtCaptureEnd
        if let isn = flow.clientISN, let ack = flow.serverHighestAck {
            // Bytes acknowledged = ack - (ISN + 1); negative (the SYN alone, or junk) means none.
            let acknowledged = Int64(Int32(bitPattern: ack &- (isn &+ 1)))
            record.clientBytesAckedByServer = acknowledged > 0 ? acknowledged : nil
        }
        index.remove(flow.key)
        unlink(slot)
        freeSlots.append(slot)
        activeFlowCount -= 1
        emit(record)
    }

    private mutating func emit(_ record: TCPFlowRecord) {
        guard retainFlow(record) else {
            counters.flowsFilteredOut &+= 1
            return
        }
        let withoutHandshake = record.clientHello == nil && record.connect == nil
        guard retained.count < max(0, limits.maxRetainedFlows),
              !withoutHandshake || retainedWithoutHandshake < max(0, limits.maxRetainedFlowsWithoutHandshake) else {
            counters.flowsNotRetained &+= 1
            return
        }
        retained.append(record)
        if withoutHandshake { retainedWithoutHandshake &+= 1 }
    }

    /// Closes everything: lingering closed flows finish normally; other open flows are reported
    /// open at capture end, with the state Zeek would give them now. Pending DNS queries time out.
    mutating func finish(decodeAnomalies: DecodeAnomalies) -> FlowsResult {
        while oldest >= 0 {
            let slot = oldest
            let closed = Int(slot) < slots.count && slots[Int(slot)].closedAt != nil
            finishFlow(slot, eviction: nil, openAtCaptureEnd: !closed)
            if Int(slot) >= slots.count || slots[Int(slot)].isActive { break }  // cannot happen; keeps the loop finite
        }
        closing.removeAll()
        let transactions = dns.finish(counters: &counters)
        // Moved out and sorted in place: `sorted` would hold a second copy of every retained record.
        var flows: [TCPFlowRecord] = []
        swap(&flows, &retained)
        retainedWithoutHandshake = 0
        flows.sort { ($0.first.time, $0.first.ref) < ($1.first.time, $1.first.ref) }
        return FlowsResult(flows: flows, dns: transactions, counters: counters, decodeAnomalies: decodeAnomalies,
                           captureStart: captureStart, captureEnd: captureEnd)
    }

    /// What `finish` would return now, without ending tracking: retained flows plus the active ones
    /// (as open, with their current state) that `retainFlow` accepts, and DNS with pending queries
    /// shown as unanswered. Taken here cheaply (copy-on-write copies and the active flows'
    /// records); `FlowsSnapshot.result()` does the sorting, on any thread.
    func snapshotState(decodeAnomalies: DecodeAnomalies) -> FlowsSnapshot {
        var flows = retained
        for flow in slots where flow.isActive {
            var record = flow.record
            record.state = flow.states.connState(clientBytes: record.bytesToServer, serverBytes: record.bytesToClient)
            record.openAtCaptureEnd = true
            if retainFlow(record) { flows.append(record) }
        }
        return FlowsSnapshot(flows: flows, dns: dns, counters: counters, decodeAnomalies: decodeAnomalies,
                             captureStart: captureStart, captureEnd: captureEnd)
    }

    // MARK: - LRU list

    private mutating func linkNewest(_ slot: Int32) {
        let position = Int(slot)
        slots[position].older = newest
        slots[position].newer = -1
        if newest >= 0 { slots[Int(newest)].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func unlink(_ slot: Int32) {
        let position = Int(slot)
        let newer = slots[position].newer
        let older = slots[position].older
        if newer >= 0 { slots[Int(newer)].older = older } else { newest = older }
        if older >= 0 { slots[Int(older)].newer = newer } else { oldest = newer }
        slots[position].newer = -1
        slots[position].older = -1
    }

    private mutating func touch(_ slot: Int32) {
        guard newest != slot else { return }
        unlink(slot)
        linkNewest(slot)
    }
}

/// The flow-tracking engine: a reference around `FlowEngineCore`.
///
/// The core lives in memory the engine allocates and owns, reached through a pointer: a stored `var`
/// of a class costs a dynamic exclusivity check (`swift_beginAccess`, some 150 instructions) on every
/// packet, a pointer's `pointee` none. What that check guarded against was re-entry, and the engine
/// is not re-entrant: `retainFlow` (called while a packet is processed) must not call back into it.
final class FlowEngine<Parsers: ApplicationParsers> {
    private let core: UnsafeMutablePointer<FlowEngineCore<Parsers>>

    init(limits: FlowLimits, retainFlow: @escaping (TCPFlowRecord) -> Bool) {
        core = .allocate(capacity: 1)
        core.initialize(to: FlowEngineCore(limits: limits, retainFlow: retainFlow))
    }

    deinit {
        core.deinitialize(count: 1)
        core.deallocate()
    }

    var limits: FlowLimits { core.pointee.limits }
    var counters: FlowCounters { core.pointee.counters }
    var pool: ReassemblyWindowPool { core.pointee.pool }
    var activeFlowCount: Int { core.pointee.activeFlowCount }

    func process(_ packet: DecodedPacket) { core.pointee.process(packet) }

    func finish(decodeAnomalies: DecodeAnomalies) -> FlowsResult { core.pointee.finish(decodeAnomalies: decodeAnomalies) }

    func snapshotState(decodeAnomalies: DecodeAnomalies) -> FlowsSnapshot {
        core.pointee.snapshotState(decodeAnomalies: decodeAnomalies)
    }
}
