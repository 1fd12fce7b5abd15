import Foundation
import Testing
@testable import Decode

// Opt-in: the DNS parser against tshark on the shared corpus. Run
//   scripts/fixtures/corpus-crosscheck.sh && APPDECODE_CORPUS_TSV=/tmp/appdecode-corpus.tsv swift test --filter CorpusCrossCheck

enum CorpusTSV {
    static var path: String? { ProcessInfo.processInfo.environment["APPDECODE_CORPUS_TSV"] }

    static func rows(kind: String) throws -> [[String]] {
        let path = try #require(path)
        return try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.first == kind }
    }

    static func hexBytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count / 2)
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = hexValue(high), let l = hexValue(low) else { break }
            out.append(h << 4 | l)
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
}

@Suite("DNS against tshark on the corpus", .enabled(if: CorpusTSV.path != nil))
struct DNSCorpusCrossCheckTests {
    @Test func everyResponseMatchesTshark() throws {
        let rows = try CorpusTSV.rows(kind: "dns")
        var matched = 0
        var nonASCIINames = 0
        var mismatches: [String] = []
        for row in rows where row.count >= 10 {
            let payload = CorpusTSV.hexBytes(row[3])
            let label = "\(row[1]) frame \(row[2])"
            guard let message = parseDNS(payload).success else {
                mismatches.append("\(label): threw \(parseDNS(payload).failure.map { "\($0)" } ?? "")")
                continue
            }
            let records = message.answers + message.authority + message.additional
            var v4: [String] = []
            var v6: [String] = []
            var cnames: [String] = []
            for record in records {
                switch record.data {
                case .address(.v4(let value)): v4.append(String(format: "%08x", value))
                case .address(.v6(let high, let low)): v6.append(String(format: "%016llx%016llx", high, low))
                case .cname(let name): cnames.append(name.text)
                case .other: break
                }
            }
            var problems: [String] = []
            // tshark shows bytes outside ASCII raw (as U+FFFD when not UTF-8) where ssmpath writes
            // \DDD, and "<Name too long>" where ssmpath keeps the cut name and flags it.
            let tsharkName = CorpusTSV.list(row[4]).first ?? ""
            if tsharkName.contains("\u{FFFD}") || tsharkName.unicodeScalars.contains(where: { $0.value > 0x7E }) {
                nonASCIINames += 1
            } else if tsharkName == "<Name too long>" {
                if message.anomalies.isEmpty { problems.append("tshark: name too long; ssmpath: no anomaly") }
            } else if let first = message.questions.first?.name.text, first != tsharkName.lowercased(),
                      tsharkName != "<Root>" || first != "" {
                problems.append("qname \(first) vs \(tsharkName)")
            }
            if Int(row[5]) != Int(message.rcode & 0x0F) { problems.append("rcode \(message.rcode) vs \(row[5])") }
            if v4 != CorpusTSV.list(row[6]) { problems.append("A \(v4) vs \(row[6])") }
            if v6 != CorpusTSV.list(row[7]) { problems.append("AAAA \(v6) vs \(row[7])") }
            let tsharkCNAMEs = CorpusTSV.list(row[8])
            if tsharkCNAMEs.contains("<Name too long>") {
                if !message.anomalies.contains(.nameTooLong) { problems.append("tshark: CNAME too long; ssmpath: not flagged") }
            } else if cnames != tsharkCNAMEs.map({ $0.lowercased() }) {
                problems.append("CNAME \(cnames) vs \(row[8])")
            }
            if problems.isEmpty { matched += 1 } else {
                mismatches.append("\(label): \(problems.joined(separator: "; ")) anomalies \(message.anomalies.rawValue)")
            }
        }
        print("DNS cross-check: \(matched) of \(rows.count) responses match tshark (\(nonASCIINames) with names "
              + "outside ASCII compared without the name); \(mismatches.count) mismatches")
        for line in mismatches.prefix(40) { print("  ", line) }
        #expect(mismatches.isEmpty)
    }
}
