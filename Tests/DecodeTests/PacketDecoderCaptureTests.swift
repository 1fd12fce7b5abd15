import Foundation
import Testing
import Capture
@testable import Decode

// MARK: - Real captures: our fixtures and the shared corpus, held against tshark

/// What one capture decoded to, by frame number.
struct CaptureDecode {
    var linkType: Int32
    var frames: Int
    var packets: [Int64: DecodedSummary] = [:]
    var anomalies = DecodeAnomalies()

    init?(url: URL) {
        guard let file = TestPcapFile(url: url) else { return nil }
        linkType = file.linkType
        frames = file.packets.count
        var decoder = PacketDecoder()
        for (index, packet) in file.packets.enumerated() {
            let number = Int64(index + 1)
            if let summary = decoder.decodeBytes(packet.bytes, linkType: LinkType(rawValue: file.linkType),
                                                 originalLength: packet.originalLength, seconds: packet.seconds,
                                                 number: number) {
                packets[number] = summary
            }
        }
        anomalies = decoder.anomalies
    }
}

/// tshark's decode of the frames carrying TCP or UDP (not inside ICMP errors), by frame number.
struct TsharkDecode {
    struct Frame: Equatable {
        var source: IPAddress?
        var destination: IPAddress?
        var sourcePort: UInt16?
        var destinationPort: UInt16?
        var isTCP: Bool
        /// tcp.len, or udp.length - 8.
        var payloadLength: Int?
    }

    static let executable = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { executable != nil }

    var frames: [Int64: Frame] = [:]

    init?(url: URL) {
        guard let executable = Self.executable else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-r", url.path, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=l",
                             "-e", "frame.number", "-e", "_ws.col.Source", "-e", "_ws.col.Destination",
                             "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.len",
                             "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length",
                             "-Y", "(tcp or udp) and not icmp and not icmpv6"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 9, let number = Int64(f[0]) else { continue }
            let isTCP = !f[3].isEmpty
            let payload = isTCP ? Int(f[5]) : Int(f[8]).map { $0 - 8 }
            frames[number] = Frame(source: IPAddress(f[1]), destination: IPAddress(f[2]),
                                   sourcePort: UInt16(isTCP ? f[3] : f[6]), destinationPort: UInt16(isTCP ? f[4] : f[7]),
                                   isTCP: isTCP, payloadLength: payload)
        }
    }

    /// Differences between our decode and tshark's, one line each (empty when they agree).
    func differences(from ours: CaptureDecode) -> [String] {
        var lines: [String] = []
        for number in Set(frames.keys).union(ours.packets.keys).sorted() {
            guard let theirs = frames[number] else { lines.append("#\(number): only we decode it"); continue }
            guard let mine = ours.packets[number] else { lines.append("#\(number): only tshark decodes it"); continue }
            let mineFrame = Frame(source: mine.source, destination: mine.destination, sourcePort: mine.sourcePort,
                                  destinationPort: mine.destinationPort, isTCP: mine.isTCP, payloadLength: mine.payloadLength)
            if mineFrame != theirs { lines.append("#\(number): ours \(mineFrame) tshark \(theirs)") }
        }
        return lines
    }
}

@Suite struct PacketDecoderCaptureTests {
    static func fixture(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: "pcap", subdirectory: "Fixtures"))
    }

    static let fixtures = ["net-eth-frag", "net-any-sll2", "net-any-sll", "net-raw-tun", "net-eth-snaplen96"]

    @Test func fixturesDecodeToWhatWeSent() throws {
        let frag = try #require(CaptureDecode(url: try Self.fixture("net-eth-frag")))
        #expect(frag.linkType == 1)
        // Two HTTP connections and three UDP datagrams, two of them (IPv4, IPv6) in three fragments each.
        let udp = frag.packets.values.filter { !$0.isTCP }.sorted { $0.payloadLength < $1.payloadLength }
        #expect(udp.map(\.payloadLength) == [100, 4000, 4000])
        #expect(udp.allSatisfy { $0.payload.allSatisfy { $0 == UInt8(ascii: "U") } && $0.payload.count == $0.payloadLength })
        #expect(Set(udp.map(\.destination)) == [IPAddress("192.0.2.2"), IPAddress("fd00:ec0::2")])
        #expect(frag.anomalies.fragmentsReassembled == 2)
        #expect(frag.anomalies.fragmentsHeld == 4)  // the first two fragments of each
        #expect(frag.anomalies.fragmentsDropped == 0 && frag.anomalies.malformed == 0)
        let syns = frag.packets.values.compactMap(\.tcp).filter { $0.flags == .syn }
        #expect(syns.count == 2)
        #expect(syns.allSatisfy { $0.options.sackPermitted && $0.options.windowScale == 10 && $0.options.timestampValue != nil })
        #expect(Set(syns.compactMap(\.options.mss)) == [1460, 1440])

        let sll2 = try #require(CaptureDecode(url: try Self.fixture("net-any-sll2")))
        #expect(sll2.linkType == 276)
        #expect(sll2.packets.values.filter(\.isTCP).count == 12)
        let sll = try #require(CaptureDecode(url: try Self.fixture("net-any-sll")))
        #expect(sll.linkType == 113)
        #expect(sll.packets.values.filter(\.isTCP).count == 12)
        let raw = try #require(CaptureDecode(url: try Self.fixture("net-raw-tun")))
        #expect(raw.linkType == 101)
        #expect(raw.packets.count == 6)  // 4 SYNs, a UDP datagram, a UDP datagram over IPv6 in two fragments
        let cut = try #require(CaptureDecode(url: try Self.fixture("net-eth-snaplen96")))
        #expect(cut.anomalies.truncated == 4)
        #expect(cut.packets.values.contains { $0.payload.count < $0.payloadLength })
    }

    @Test(.enabled(if: TsharkDecode.isAvailable), arguments: fixtures)
    func fixturesMatchTshark(name: String) throws {
        let url = try Self.fixture(name)
        let ours = try #require(CaptureDecode(url: url))
        let theirs = try #require(TsharkDecode(url: url))
        #expect(!theirs.frames.isEmpty)
        let differences = theirs.differences(from: ours)
        #expect(differences.isEmpty, "\(name):\n\(differences.joined(separator: "\n"))")
    }

    // MARK: - Shared corpus

    static let corpus = URL(fileURLWithPath: "/work/shared/corpus/captures")
    static var corpusAvailable: Bool { FileManager.default.fileExists(atPath: corpus.path) }

    @Test(.enabled(if: corpusAvailable))
    func everyClassicPcapOfTheCorpusDecodesWithoutTrapping() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".pcap") }.sorted()
        var files = 0, frames = 0, packets = 0
        for name in names {
            guard let decoded = CaptureDecode(url: Self.corpus.appendingPathComponent(name)) else { continue }
            files += 1
            frames += decoded.frames
            packets += decoded.packets.count
        }
        #expect(files >= 100)
        #expect(packets > frames / 2)
    }

    /// Corpus captures whose TCP/UDP frames we decode exactly as tshark does (one per link type and
    /// the tricky ones: IPv4-in-IPv6, DNS over fragmented UDP, raw IP, BSD NULL, Linux SLL).
    static let agreeingCorpusCaptures = [
        "nDPI__tests__cfgs__default__pcap__4in6tunnel.pcap",
        "nDPI__tests__cfgs__default__pcap__dns_fragmented.pcap",
        "nDPI__tests__cfgs__default__pcap__selfsigned.pcap",
        "nDPI__tests__cfgs__default__pcap__KakaoTalk_chat.pcap",
        "nDPI__tests__cfgs__default__pcap__psiphon3.pcap",
        "suricata-verify__tests__tls__tls-pre-1970__input.pcap",
        "nDPI__tests__cfgs__default__pcap__http_ipv6.pcap",
        "zeek__testing__btest__Traces__dns-svcb.pcap",
        "tcpdump__tests__dns_udp.pcap",
    ]

    /// Set NETDECODE_FULL_CORPUS=1 to hold every classic pcap of the corpus against tshark (slow).
    static var fullCorpusRequested: Bool { ProcessInfo.processInfo.environment["NETDECODE_FULL_CORPUS"] != nil }
    static var allCorpusPcaps: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).filter { $0.hasSuffix(".pcap") }.sorted()
    }

    @Test(.enabled(if: corpusAvailable && TsharkDecode.isAvailable && fullCorpusRequested), arguments: allCorpusPcaps)
    func wholeCorpusAgainstTshark(name: String) throws {
        // Known, accepted differences: pcapng files named .pcap (the test reader skips them); 802.11, ARCNET,
        // GRE and ERSPAN (not decoded); Teredo carrying ICMPv6 (tshark's frame is ICMPv6, ours the outer UDP).
        guard TestPcapFile(url: Self.corpus.appendingPathComponent(name)) != nil else { return }
        try corpusCapturesMatchTshark(name: name)
    }

    /// The TLS flow of 4in6tunnel.pcap is IPv4 inside IPv6: we give the inner IPv4 endpoints (what tshark's
    /// columns show) and keep the outer IPv6 ones (what the corpus's expected.json lists) in `tunnel`.
    @Test(.enabled(if: corpusAvailable))
    func ipv4InIPv6TunnelOfTheCorpus() throws {
        let decoded = try #require(CaptureDecode(url: Self.corpus.appendingPathComponent("nDPI__tests__cfgs__default__pcap__4in6tunnel.pcap")))
        let syn = try #require(decoded.packets[1])
        #expect(syn.source == IPAddress("192.168.0.1") && syn.destination == IPAddress("10.10.10.1"))
        #expect(syn.sourcePort == 64455 && syn.destinationPort == 443 && syn.tcp?.flags == .syn)
        #expect(syn.tunnel?.source == IPAddress("22e0:1685:eda7:38cc:58bd:f3f1:aa3f:22d8"))
        #expect(syn.tunnel?.destination == IPAddress("344a:ba94:152a:ac34::2a"))
        #expect(decoded.packets[3]?.payload.first == 0x16)  // the ClientHello's TLS record
    }

    @Test(.enabled(if: corpusAvailable && TsharkDecode.isAvailable), arguments: agreeingCorpusCaptures)
    func corpusCapturesMatchTshark(name: String) throws {
        let url = Self.corpus.appendingPathComponent(name)
        let ours = try #require(CaptureDecode(url: url))
        let theirs = try #require(TsharkDecode(url: url))
        #expect(ours.packets.count == theirs.frames.count)
        let differences = theirs.differences(from: ours)
        #expect(differences.isEmpty, "\(name):\n\(differences.prefix(20).joined(separator: "\n"))")
    }
}
