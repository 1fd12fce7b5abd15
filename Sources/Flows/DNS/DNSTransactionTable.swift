import Capture
import Decode

// Matches DNS queries to responses.
//
// Key: (client address, client port, resolver address, resolver port, transport, id, first
// question name, first question type). A response from an address other than the one the query
// went to does not match (it becomes a response-only transaction). A query sent again with the
// same key while pending counts in `querySends`; the timeout runs from the LAST send.
// Duplicate responses within the timeout window after a match are absorbed (counted), not
// reported as response-only.

struct DNSTransactionKey: Hashable, Sendable {
    let client: IPAddress
    let clientPort: UInt16
    let resolver: IPAddress
    let resolverPort: UInt16
    let transport: DNSTransport
    let id: UInt16
    let name: DNSName
    let type: UInt16
    /// The fields' hash, computed once: a key is looked up several times (query, resends, response,
    /// timeout, duplicate window), and each lookup then hashes one word instead of every field and
    /// every byte of the name again. Derived from the fields, so equal keys have equal digests.
    private let digest: Int

    init(client: IPAddress, clientPort: UInt16, resolver: IPAddress, resolverPort: UInt16, transport: DNSTransport,
         id: UInt16, name: DNSName, type: UInt16) {
        self.client = client; self.clientPort = clientPort; self.resolver = resolver; self.resolverPort = resolverPort
        self.transport = transport; self.id = id; self.name = name; self.type = type
        var hasher = Hasher()
        hasher.combine(client); hasher.combine(clientPort); hasher.combine(resolver); hasher.combine(resolverPort)
        hasher.combine(transport == .udp); hasher.combine(id); hasher.combine(name); hasher.combine(type)
        digest = hasher.finalize()
    }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// The digest first: unequal keys almost always differ there, without comparing the names.
    static func == (a: DNSTransactionKey, b: DNSTransactionKey) -> Bool {
        a.digest == b.digest && a.id == b.id && a.type == b.type && a.clientPort == b.clientPort
            && a.resolverPort == b.resolverPort && a.transport == b.transport && a.client == b.client
            && a.resolver == b.resolver && a.name == b.name
    }
}

/// One DNS message as the tracker saw it: who sent it, over what, when.
struct DNSMessageContext {
    var source: IPAddress
    var sourcePort: UInt16
    var destination: IPAddress
    var destinationPort: UInt16
    var transport: DNSTransport
    var moment: PacketMoment
}

struct DNSTransactionTable: Sendable {
    private struct Pending: Sendable {
        var transaction: DNSTransaction
        var deadline: Timestamp
    }

    private struct Deadline: Sendable {
        var key: DNSTransactionKey
        var deadline: Timestamp
    }

    let timeoutNanoseconds: Int64
    let maxPending: Int
    let maxRetained: Int
    private var pending: [DNSTransactionKey: Pending] = [:]
    private var deadlines = FIFOQueue<Deadline>()
    /// Keys answered within the last timeout window, to absorb duplicate responses.
    private var recentlyAnswered: [DNSTransactionKey: Timestamp] = [:]
    private var answeredExpiry = FIFOQueue<Deadline>()
    private(set) var finished: [DNSTransaction] = []

    init(limits: FlowLimits) {
        let (nanoseconds, overflow) = max(0, limits.dnsTimeoutSeconds).multipliedReportingOverflow(by: 1_000_000_000)
        timeoutNanoseconds = overflow ? Int64.max : nanoseconds
        maxPending = max(1, limits.maxPendingDNS)
        maxRetained = max(0, limits.maxRetainedDNS)
    }

    var pendingCount: Int { pending.count }

    // MARK: - Messages

    mutating func record(_ message: DNSMessage, context: DNSMessageContext, counters: inout FlowCounters) {
        counters.dnsMessages &+= 1
        guard let question = message.questions.first else {
            counters.dnsWithoutQuestion &+= 1
            return
        }
        if message.isResponse {
            recordResponse(message, question: question, context: context, counters: &counters)
        } else {
            recordQuery(question: question, id: message.id, context: context, counters: &counters)
        }
    }

    private mutating func recordQuery(question: DNSQuestion, id: UInt16, context: DNSMessageContext,
                                      counters: inout FlowCounters) {
        let key = DNSTransactionKey(client: context.source, clientPort: context.sourcePort,
                                    resolver: context.destination, resolverPort: context.destinationPort,
                                    transport: context.transport, id: id, name: question.name, type: question.type)
        let deadline = context.moment.time.adding(nanoseconds: timeoutNanoseconds)
        if let existing = pending.index(forKey: key) {
            // Updated in place: no copy of the transaction, one lookup.
            pending.values[existing].transaction.querySends &+= 1
            pending.values[existing].deadline = deadline
        } else {
            while pending.count >= maxPending, evictOldest(counters: &counters) {}
            var transaction = DNSTransaction(client: context.source, clientPort: context.sourcePort,
                                             resolver: context.destination, resolverPort: context.destinationPort,
                                             transport: context.transport, id: id, name: question.name,
                                             type: question.type, query: context.moment)
            transaction.querySends = 1
            pending[key] = Pending(transaction: transaction, deadline: deadline)
        }
        deadlines.append(Deadline(key: key, deadline: deadline))
        // Stale deadline entries (from resends) are bounded too.
        while deadlines.count > 4 * maxPending, evictOldest(counters: &counters) {}
    }

    private mutating func recordResponse(_ message: DNSMessage, question: DNSQuestion, context: DNSMessageContext,
                                         counters: inout FlowCounters) {
        let key = DNSTransactionKey(client: context.destination, clientPort: context.destinationPort,
                                    resolver: context.source, resolverPort: context.sourcePort,
                                    transport: context.transport, id: message.id, name: question.name, type: question.type)
        if var entry = pending.removeValue(forKey: key) {
            entry.transaction.response = context.moment
            entry.transaction.rcode = message.rcode
            entry.transaction.answers = message.answers
            entry.transaction.authority = message.authority
            entry.transaction.truncatedResponse = message.truncated
            retain(entry.transaction, counters: &counters)
            if recentlyAnswered.count < maxPending {
                let until = context.moment.time.adding(nanoseconds: timeoutNanoseconds)
                recentlyAnswered[key] = until
                answeredExpiry.append(Deadline(key: key, deadline: until))
            }
            return
        }
        if let until = recentlyAnswered[key], context.moment.time <= until {
            counters.dnsDuplicateResponses &+= 1
            return
        }
        counters.dnsUnmatchedResponses &+= 1
        var transaction = DNSTransaction(client: context.destination, clientPort: context.destinationPort,
                                         resolver: context.source, resolverPort: context.sourcePort,
                                         transport: context.transport, id: message.id, name: question.name,
                                         type: question.type, query: context.moment)
        transaction.querySends = 0
        transaction.responseOnly = true
        transaction.response = context.moment
        transaction.rcode = message.rcode
        transaction.answers = message.answers
        transaction.authority = message.authority
        transaction.truncatedResponse = message.truncated
        retain(transaction, counters: &counters)
    }

    // MARK: - Time

    /// Times out queries whose deadline passed by `now`; at most `budget` queue entries per call.
    mutating func expire(now: Timestamp, budget: Int, counters: inout FlowCounters) {
        var work = 0
        while work < budget, let due = deadlines.peekFirst({ $0.deadline }), due <= now {
            work += 1
            guard let front = deadlines.popFirst() else { break }
            if let position = pending.index(forKey: front.key), pending.values[position].deadline == front.deadline {
                var transaction = pending.remove(at: position).value.transaction
                transaction.timedOut = true
                retain(transaction, counters: &counters)
            }
        }
        while work < budget, let due = answeredExpiry.peekFirst({ $0.deadline }), due < now {
            work += 1
            guard let front = answeredExpiry.popFirst() else { break }
            if let position = recentlyAnswered.index(forKey: front.key), recentlyAnswered.values[position] == front.deadline {
                recentlyAnswered.remove(at: position)
            }
        }
    }

    /// Ends matching: every pending query is a timeout. Returns all transactions by query time.
    mutating func finish(counters: inout FlowCounters) -> [DNSTransaction] {
        while let front = deadlines.popFirst() {
            if let entry = pending[front.key], entry.deadline == front.deadline {
                pending[front.key] = nil
                var transaction = entry.transaction
                transaction.timedOut = true
                retain(transaction, counters: &counters)
            }
        }
        // Every pending key has a deadline entry equal to its deadline, so `pending` is empty now.
        for (_, entry) in pending {
            var transaction = entry.transaction
            transaction.timedOut = true
            retain(transaction, counters: &counters)
        }
        pending.removeAll()
        recentlyAnswered.removeAll()
        answeredExpiry.removeAll()
        let result = finished.sorted { ($0.query.time, $0.query.ref) < ($1.query.time, $1.query.ref) }
        finished.removeAll()
        return result
    }

    // MARK: - Limits

    /// Drops the oldest pending query (reported as evicted). False when nothing was pending.
    private mutating func evictOldest(counters: inout FlowCounters) -> Bool {
        while let front = deadlines.popFirst() {
            guard let position = pending.index(forKey: front.key), pending.values[position].deadline == front.deadline else {
                continue
            }
            counters.dnsPendingEvicted &+= 1
            var transaction = pending.remove(at: position).value.transaction
            transaction.evicted = true
            retain(transaction, counters: &counters)
            return true
        }
        return false
    }

    private mutating func retain(_ transaction: DNSTransaction, counters: inout FlowCounters) {
        if finished.count < maxRetained {
            finished.append(transaction)
        } else {
            counters.dnsNotRetained &+= 1
        }
    }
}
