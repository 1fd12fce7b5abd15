import Flows

// Which DNS answer gave a flow its server address: the latest answer before the flow's first SYN,
// to the same client, containing the address, still within its TTL. Looked up in O(log n).

/// An index from (client, answered address) to the answers that gave it, by answer time.
struct DNSAnswerIndex {
    private struct Key: Hashable {
        var client: IPAddress
        var address: IPAddress
    }

    private struct Answer {
        var time: Timestamp
        /// Answer time + TTL + slack.
        var usableUntil: Timestamp
        /// Index into the transactions the index was built from.
        var transaction: Int
    }

    /// How many earlier answers a lookup looks at when the latest has expired.
    private static let expiredLookback = 16

    private var answers: [Key: [Answer]] = [:]

    /// Indexes every answered transaction's A/AAAA records. `ttlSlackSeconds` is added to each TTL.
    init(_ transactions: [DNSTransaction], ttlSlackSeconds: Int64) {
        let slack = Self.nanoseconds(seconds: max(ttlSlackSeconds, 0))
        for (index, transaction) in transactions.enumerated() {
            guard let response = transaction.response, transaction.rcode == DNSRcode.noError else { continue }
            for record in transaction.answers {
                guard case .address(let address) = record.data else { continue }
                let ttl = Self.nanoseconds(seconds: Int64(record.ttl))
                let until = response.time.adding(nanoseconds: ttl).adding(nanoseconds: slack)
                answers[Key(client: Self.indexedClient(transaction.client), address: address), default: []]
                    .append(Answer(time: response.time, usableUntil: until, transaction: index))
            }
        }
        for key in answers.keys {
            answers[key]?.sort { ($0.time, $0.transaction) < ($1.time, $1.transaction) }
        }
    }

    /// The transaction whose answer gave `client` the address `server` most recently at or before
    /// `time` and was still within its TTL (plus slack) at `time`; nil when none. Answers a local
    /// stub resolver gave over loopback count for every client of the host.
    func match(client: IPAddress, server: IPAddress, at time: Timestamp) -> Int? {
        match(in: answers[Key(client: client, address: server)], at: time)
            ?? match(in: answers[Key(client: Self.loopbackClient, address: server)], at: time)
    }

    private func match(in list: [Answer]?, at time: Timestamp) -> Int? {
        guard let list else { return nil }
        // First answer later than `time` (binary search), then look back.
        var low = 0, high = list.count
        while low < high {
            let middle = low + (high - low) / 2
            if list[middle].time <= time { low = middle + 1 } else { high = middle }
        }
        var index = low - 1
        var looked = 0
        while index >= 0, looked < Self.expiredLookback {
            if list[index].usableUntil >= time { return list[index].transaction }
            index -= 1
            looked += 1
        }
        return nil
    }

    /// The earliest answer to `client` containing `server` after `time`, TTL aside; nil when none.
    /// For flows seen mid-stream, whose own answer came before the capture started: a later
    /// answer for the same address still names them.
    func firstAnswer(client: IPAddress, server: IPAddress, after time: Timestamp) -> Int? {
        guard let list = answers[Key(client: client, address: server)] ?? answers[Key(client: Self.loopbackClient, address: server)]
        else { return nil }
        var low = 0, high = list.count
        while low < high {
            let middle = low + (high - low) / 2
            if list[middle].time <= time { low = middle + 1 } else { high = middle }
        }
        return low < list.count ? list[low].transaction : nil
    }

    /// All loopback clients (127/8, ::1) are one: the host's own stub resolver's clients.
    private static let loopbackClient = IPAddress.v4(0x7F00_0001)

    private static func indexedClient(_ client: IPAddress) -> IPAddress {
        switch client {
        case .v4(let value) where value >> 24 == 127: loopbackClient
        case .v6(0, 1): loopbackClient
        default: client
        }
    }

    private static func nanoseconds(seconds: Int64) -> Int64 {
        let (value, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : value
    }
}
