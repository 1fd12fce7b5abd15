import Foundation
import Testing
@testable import Decode

// Opt-in: the ClientHello parser against tshark on the shared corpus (see DNSCorpusCrossCheckTests).

@Suite("ClientHello against tshark on the corpus", .enabled(if: CorpusTSV.path != nil))
struct ClientHelloCorpusCrossCheckTests {
    static func number(_ text: String) -> UInt16? {
        text.hasPrefix("0x") ? UInt16(text.dropFirst(2), radix: 16) : UInt16(text)
    }

    /// Where tshark is lenient and ssmpath is strict on purpose (checked by hand).
    static let knownDivergences: Set<String> = [
        // nDPI's fuzz case: compression_methods<1..2^8-1> empty, then a 1-byte tail where the
        // extensions length should be.
        "nDPI__tests__cfgs__default__pcap__tls_invalid_reads.pcap frame 4",
        "nDPI__tests__cfgs__default__pcap__tls_invalid_reads.pcap frame 12",
    ]

    @Test func everyHelloMatchesTshark() throws {
        let rows = try CorpusTSV.rows(kind: "hello")
        var matched = 0
        var notFirstFlight = 0
        var diverged = 0
        var mismatches: [String] = []
        for row in rows where row.count >= 10 {
            let bytes = CorpusTSV.hexBytes(row[4].isEmpty ? row[3] : row[4])
            let label = "\(row[1]) frame \(row[2])"
            if Self.knownDivergences.contains(label) {
                diverged += 1
                continue
            }
            let progress = parseClientHello(bytes)
            guard let info = progress.value else {
                // tshark also decodes hellos that are not a client's first bytes as TLS records:
                // SSLv2-compatible hellos (0x80...), TLS inside OpenVPN's TCP framing, and a second
                // hello after a HelloRetryRequest, behind the client's ChangeCipherSpec.
                if progress.kind == .notThisProtocol, bytes.first != TLSContentType.handshake {
                    notFirstFlight += 1
                } else {
                    mismatches.append("\(label): \(progress.kind) on \(bytes.count) bytes starting \(bytes.prefix(6))")
                }
                continue
            }
            var problems: [String] = []
            let sni = info.serverName.map { String(decoding: $0, as: UTF8.self) } ?? ""
            if sni != row[5] { problems.append("SNI \(sni) vs \(row[5])") }
            let alpn = info.alpn.map { String(decoding: $0, as: UTF8.self) }
            if alpn != CorpusTSV.list(row[6]) { problems.append("ALPN \(alpn) vs \(row[6])") }
            let versions = CorpusTSV.list(row[7]).compactMap(Self.number).filter { !isGREASE($0) }
            if info.supportedVersions != versions { problems.append("versions \(info.supportedVersions) vs \(row[7])") }
            var groups = CorpusTSV.list(row[8]).compactMap(Self.number).filter { !isGREASE($0) }
            // tshark also lists the key share inside encrypted_server_name (0xFFCE, ESNI drafts).
            let extensionTypes = CorpusTSV.list(row[9]).compactMap(Self.number)
            if extensionTypes.contains(0xFFCE), groups.count == info.keyShareGroups.count + 1 { groups.removeLast() }
            if info.keyShareGroups != groups { problems.append("groups \(info.keyShareGroups) vs \(row[8])") }
            if problems.isEmpty { matched += 1 } else { mismatches.append("\(label): \(problems.joined(separator: "; "))") }
        }
        print("ClientHello cross-check: \(matched) of \(rows.count) hellos match tshark; \(notFirstFlight) are not a "
              + "client's first TLS bytes; \(diverged) known divergences; \(mismatches.count) mismatches")
        for line in mismatches.prefix(40) { print("  ", line) }
        #expect(mismatches.isEmpty)
    }
}
