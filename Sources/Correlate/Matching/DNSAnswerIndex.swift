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
                answers[Key(client: transaction.client, address: address), default: []]
                    .append(Answer(time: response.time, usableUntil: until, transaction: index))
            }
        }
        for key in answers.keys {
            answers[key]?.sort { ($0.time, $0.transaction) < ($1.time, $1.transaction) }
        }
    }

    /// The transaction whose answer gave `client` the address `server` most recently at or before
    /// `time` and was still within its TTL (plus slack) at `time`; nil when none.
    func match(client: IPAddress, server: IPAddress, at time: Timestamp) -> Int? {
        guard let list = answers[Key(client: client, address: server)] else { return nil }
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

    private static func nanoseconds(seconds: Int64) -> Int64 {
        let (value, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : value
    }
}
