import ArgumentParser
import Capture
import Correlate
import Decode
import Foundation

/// `ssmpath extract CAPTURE... --output PATH`: only the packets the analysis used (DNS for SSM names
/// and the SSM flows), so a customer can share a small capture without their other traffic.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write only the SSM-related packets (DNS for SSM names and the SSM flows) to a new pcap."
    )

    @Argument(help: ArgumentHelp("Capture files or directories.", valueName: "capture"))
    var captures: [String]

    @Option(name: .shortAndLong, help: "The pcap file to write.")
    var output: String

    @OptionGroup var analysis: AnalysisArguments
    @OptionGroup var reading: FileReadingArguments

    func validate() throws {
        if captures.isEmpty { throw ValidationError("give at least one capture file") }
        if analysis.includeAll { throw ValidationError("--all does not apply to extract: it keeps only SSM traffic") }
    }

    func run() throws {
        let paths = try CaptureFileList.expand(captures)
        // Pass 1: find the SSM DNS transactions and flows.
        let first = try openSet(paths)
        let pipeline = AnalysisPipeline(flowLimits: analysis.flowLimits, includeAllTraffic: false, fileCount: paths.count)
        pipeline.run(first)
        let result = pipeline.finish(options: analysis.correlationOptions)
        let selection = PacketSelection(result)

        // Pass 2: copy the packets that belong to them. A pcap holds one link type: packets of a
        // second link type (files from different interfaces) go to a sibling file named after it.
        let second = try openSet(paths)
        var writers = ExtractWriters(path: output)
        var decoder = PacketDecoder()
        var written: Int64 = 0, read: Int64 = 0
        while case .packet(let record) = second.nextEvent() {
            read &+= 1
            guard let packet = decoder.decode(record), selection.contains(packet) else { continue }
            try writers.write(record)
            written &+= 1
        }
        let files = try writers.close()
        if files.isEmpty {
            // Still leave a valid (empty) pcap so scripts can rely on the file.
            var empty = ExtractWriters(path: output)
            try empty.createEmpty(linkType: second.infos.first?.linkTypes.first?.linkType ?? .ethernet)
            _ = try empty.close()
        }
        printError("ssmpath: wrote \(written) of \(read) packets (\(selection.flowCount) SSM flows, \(selection.dnsCount) DNS transactions) to \((files.isEmpty ? [output] : files).joined(separator: ", "))")
    }

    private func openSet(_ paths: [String]) throws -> CaptureSet {
        do { return try CaptureSet.open(paths: paths, readAheadThreads: reading.readAheadThreads) } catch { throw CommandFailure(message: "ssmpath: " + error.message) }
    }
}

/// One pcap writer per link type, opened on first use: `PATH` for the first, `PATH-NAME.pcap` after.
struct ExtractWriters {
    let path: String
    private var writers: [(linkType: LinkType, writer: CaptureWriter)] = []

    init(path: String) { self.path = path }

    mutating func write(_ record: PacketRecord) throws {
        let writer = try writerFor(record.linkType)
        do { try writer.write(record) } catch { throw CommandFailure(message: "ssmpath: " + error.message) }
    }

    mutating func createEmpty(linkType: LinkType) throws { _ = try writerFor(linkType) }

    /// Closes every writer; returns the paths written.
    mutating func close() throws -> [String] {
        var paths: [String] = []
        for entry in writers {
            do { try entry.writer.close() } catch { throw CommandFailure(message: "ssmpath: " + error.message) }
            paths.append(entry.writer.path)
        }
        writers.removeAll()
        return paths
    }

    private mutating func writerFor(_ linkType: LinkType) throws -> CaptureWriter {
        if let existing = writers.first(where: { $0.linkType == linkType }) { return existing.writer }
        var target = path
        if !writers.isEmpty {
            let base = path.hasSuffix(".pcap") ? String(path.dropLast(5)) : path
            target = base + "-linktype\(linkType.rawValue).pcap"
        }
        do {
            let writer = try CaptureWriter(path: target, linkType: linkType)
            writers.append((linkType, writer))
            return writer
        } catch {
            throw CommandFailure(message: "ssmpath: " + error.message)
        }
    }
}

/// The 5-tuples and DNS ids whose packets `extract` keeps.
struct PacketSelection {
    private struct Endpoints: Hashable {
        var a: Decode.IPAddress, aPort: UInt16, b: Decode.IPAddress, bPort: UInt16
        /// The same key whichever direction the packet goes.
        init(_ x: Decode.IPAddress, _ xPort: UInt16, _ y: Decode.IPAddress, _ yPort: UInt16) {
            if (x, xPort) < (y, yPort) { a = x; aPort = xPort; b = y; bPort = yPort } else { a = y; aPort = yPort; b = x; bPort = xPort }
        }
    }
    private struct DNSKey: Hashable { var endpoints: Endpoints; var id: UInt16 }

    private var tcp: Set<Endpoints> = []
    private var udpDNS: Set<DNSKey> = []
    private(set) var flowCount = 0
    private(set) var dnsCount = 0

    init(_ analysis: Analysis) {
        for flow in analysis.flows where flow.isSSM {
            let r = flow.record
            tcp.insert(Endpoints(r.client, r.clientPort, r.server, r.serverPort))
            flowCount += 1
        }
        for dns in analysis.dns where dns.isSSM {
            let t = dns.transaction
            let endpoints = Endpoints(t.client, t.clientPort, t.resolver, t.resolverPort)
            switch t.transport {
            case .udp: udpDNS.insert(DNSKey(endpoints: endpoints, id: t.id))
            case .tcp: tcp.insert(endpoints)
            }
            dnsCount += 1
        }
    }

    func contains(_ packet: DecodedPacket) -> Bool {
        let endpoints = Endpoints(packet.source, packet.transport.sourcePort, packet.destination, packet.transport.destinationPort)
        switch packet.transport {
        case .tcp:
            return tcp.contains(endpoints)
        case .udp:
            guard packet.payload.count >= 2 else { return false }
            // DNS header: ID is the first 16 bits (RFC 1035 §4.1.1).
            let id = UInt16(packet.payload[0]) << 8 | UInt16(packet.payload[1])
            return udpDNS.contains(DNSKey(endpoints: endpoints, id: id))
        }
    }
}
