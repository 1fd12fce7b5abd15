import Foundation
import Testing
@testable import Decode

// Opt-in: the server record walker's ServerHello against tshark on the shared corpus (see
// DNSCorpusCrossCheckTests for how to run it).

@Suite("ServerHello against tshark on the corpus", .enabled(if: CorpusTSV.path != nil))
struct ServerRecordWalkerCorpusCrossCheckTests {
    static func number(_ text: String) -> UInt16? {
        text.hasPrefix("0x") ? UInt16(text.dropFirst(2), radix: 16) : UInt16(text)
    }

    @Test func everyServerHelloMatchesTshark() throws {
        let rows = try CorpusTSV.rows(kind: "shello")
        var matched = 0
        var notFirstRecord = 0
        var mismatches: [String] = []
        for row in rows where row.count >= 8 {
            let bytes = CorpusTSV.hexBytes(row[4].isEmpty ? row[3] : row[4])
            let label = "\(row[1]) frame \(row[2])"
            guard bytes.first == TLSContentType.handshake, bytes.count > 9, bytes[5] == TLSHandshakeType.serverHello else {
                notFirstRecord += 1 // the ServerHello follows other bytes in this segment
                continue
            }
            var walker = TLSServerRecordWalker()
            bytes.withUnsafeBytes { walker.feed($0) }
            guard let hello = walker.events.serverHello else {
                mismatches.append("\(label): no ServerHello, notTLS \(walker.events.notTLS)")
                continue
            }
            var problems: [String] = []
            if hello.legacyVersion != Self.number(row[5]) { problems.append("version \(hello.legacyVersion) vs \(row[5])") }
            if hello.cipherSuite != Self.number(row[6]) { problems.append("cipher \(hello.cipherSuite) vs \(row[6])") }
            if hello.selectedVersion != Self.number(row[7]) { problems.append("selected \(String(describing: hello.selectedVersion)) vs \(row[7])") }
            if problems.isEmpty { matched += 1 } else { mismatches.append("\(label): \(problems.joined(separator: "; "))") }
        }
        print("ServerHello cross-check: \(matched) of \(rows.count) match tshark; \(notFirstRecord) not at the start "
              + "of their segment; \(mismatches.count) mismatches")
        for line in mismatches.prefix(40) { print("  ", line) }
        #expect(mismatches.isEmpty)
    }
}
