// StageBench STAGE CAPTURE — runs ssmpath's pipeline on one capture file up to STAGE, so that the
// cost of each stage is the difference between two runs:
//   read       CaptureFile.next() over every packet (libpcap through the Capture stage)
//   decode     + PacketDecoder.decode
//   flows      + FlowTracker.process / finish (keeping the flows `ssmpath analyze` keeps)
//   correlate  + Correlator.analyze
//   report     + ReportWriter.render as JSON (written to stdout; send it to /dev/null)
// Prints one line of counts to stderr. Exit 2 on a usage or capture error.
// `StageBench live INTERFACE SECONDS` sniffs an interface through the same stages (decode, flows)
// and prints one JSON line of counters (packetsSeen, kernelDropped, ...); STAGEBENCH_BUFFER_MIB sets
// the kernel buffer size.
// Flow limits: defaults, or STAGEBENCH_MAX_FLOWS / STAGEBENCH_MAX_RETAINED / STAGEBENCH_MAX_PENDING_DNS.
// STAGEBENCH_READ_AHEAD=1 reads the capture on a thread of its own (CaptureSet's read-ahead).
// `StageBench layout` prints the inline size of the records flow tracking keeps.
import Capture
import Correlate
import Decode
import Flows
import Dispatch
import Report
#if canImport(Glibc)
import Glibc
#endif

enum Stage: String, CaseIterable {
    case read, decode, flows, correlate, report
    var level: Int { Stage.allCases.firstIndex(of: self) ?? 0 }
}

@main
enum StageBench {
    static func main() {
        let arguments = CommandLine.arguments
        if arguments.count == 2, arguments[1] == "layout" {
            // What one kept flow or DNS transaction costs inline (arrays add heap blocks on top).
            print("TCPFlowRecord stride \(MemoryLayout<TCPFlowRecord>.stride) B")
            print("DNSTransaction stride \(MemoryLayout<DNSTransaction>.stride) B")
            print("ClientHelloInfo stride \(MemoryLayout<ClientHelloInfo>.stride) B")
            print("DecodedPacket stride \(MemoryLayout<DecodedPacket>.stride) B")
            return
        }
        if arguments.count == 4, arguments[1] == "live" {
            runLive(interface: arguments[2], seconds: Int(arguments[3]) ?? 10)
            return
        }
        guard arguments.count == 3, let stage = Stage(rawValue: arguments[1]) else {
            fail("usage: StageBench read|decode|flows|correlate|report CAPTURE | StageBench layout")
        }
        let path = arguments[2]
        let file: CaptureFile
        do {
            file = try CaptureFile(path: path)
        } catch {
            fail("StageBench: \(error)")
        }
        var decoder = PacketDecoder()
        let tracker = FlowTracker(limits: limitsFromEnvironment(), retainFlow: retainLikelySSM)
        var packets: Int64 = 0
        var decoded: Int64 = 0
        var firstBytes: UInt64 = 0
        // STAGEBENCH_READ_AHEAD=1: the file is read on a thread of its own, as `ssmpath analyze` does.
        let source = CaptureSet(files: [file], readAheadThreads: getenv("STAGEBENCH_READ_AHEAD") == nil ? 0 : 1)
        while let record = source.next() {
            packets &+= 1
            if stage == .read {
                if let first = record.bytes.first { firstBytes &+= UInt64(first) }  // touch the bytes
                continue
            }
            guard let packet = decoder.decode(record) else { continue }
            decoded &+= 1
            if stage.level >= Stage.flows.level { tracker.process(packet) }
        }
        var summary = "\(stage.rawValue): \(packets) packets, \(decoded) decoded"
        if stage.level >= Stage.flows.level {
            let result = tracker.finish(decodeAnomalies: decoder.anomalies)
            summary += ", \(result.flows.count) flows kept, \(result.dns.count) DNS transactions"
            if stage.level >= Stage.correlate.level {
                let analysis = Correlator.analyze(result, options: CorrelationOptions())
                summary += ", \(analysis.findings.count) findings"
                if stage == .report {
                    let info = file.info
                    let metadata = CaptureMetadata(
                        path: path, format: info.format.name, linkTypes: info.linkTypes.map(\.name),
                        packets: info.packets, bytes: info.bytes, firstPacket: info.firstPacket,
                        lastPacket: info.lastPacket, truncated: info.truncatedPackets,
                        undecodable: decoder.anomalies.undecodable, warnings: info.warningMessages)
                    print(ReportWriter.render(analysis, captures: [metadata],
                                              options: ReportOptions(format: .json, toolVersion: "stage-bench")))
                }
            }
        }
        if firstBytes == UInt64.max { summary += "" }  // keeps the read loop's work observable
        printError(summary)
    }

    /// Live: LiveCapture (default filter, promiscuous) → decode → flows for `seconds`, then one JSON
    /// line with what was seen and libpcap's statistics.
    static func runLive(interface: String, seconds: Int) {
        var options = LiveCaptureOptions(interface: interface)
        options.promiscuous = true
        if let mib = getenv("STAGEBENCH_BUFFER_MIB").flatMap({ Int32(String(cString: $0)) }) {
            options.bufferSize = mib &* 1_048_576  // libpcap's kernel buffer (LiveCaptureOptions default 8 MiB)
        }
        let capture: LiveCapture
        do {
            capture = try LiveCapture(options: options)
        } catch {
            fail("StageBench: \(error)")
        }
        // On Linux a silent interface never yields `.idle` (libpcap 1.10 blocks in poll until a
        // packet comes), so the deadline is enforced by stop() (pcap_breakloop) from a timer.
        let stopper = capture.stopper
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { stopper.stop() }
        var decoder = PacketDecoder()
        let tracker = FlowTracker(limits: FlowLimits(), retainFlow: retainLikelySSM)
        var packets: Int64 = 0
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let deadline = Int64(start.tv_sec) + Int64(seconds)
        var now = timespec()
        loop: while true {
            switch capture.nextEvent() {
            case .packet(let record):
                packets &+= 1
                if let packet = decoder.decode(record) { tracker.process(packet) }
                if packets & 0x3FF != 0 { continue loop }
            case .idle:
                break
            case .end:
                break loop
            }
            clock_gettime(CLOCK_MONOTONIC, &now)
            if Int64(now.tv_sec) >= deadline { break }
        }
        let stats = capture.statistics()
        let result = tracker.finish(decodeAnomalies: decoder.anomalies)
        print("{\"packetsSeen\": \(packets), \"pcapReceived\": \(stats.map { Int($0.received) } ?? -1), "
              + "\"kernelDropped\": \(stats.map { Int($0.dropped) } ?? -1), "
              + "\"interfaceDropped\": \(stats.map { Int($0.interfaceDropped) } ?? -1), "
              + "\"flowsKept\": \(result.flows.count), \"dnsTransactions\": \(result.dns.count)}")
    }

    /// FlowLimits defaults, overridden by STAGEBENCH_MAX_FLOWS, STAGEBENCH_MAX_RETAINED (flows and DNS)
    /// and STAGEBENCH_MAX_PENDING_DNS, to see how memory follows the limits.
    static func limitsFromEnvironment() -> FlowLimits {
        var limits = FlowLimits()
        func value(_ name: String) -> Int? { getenv(name).flatMap { Int(String(cString: $0)) } }
        if let flows = value("STAGEBENCH_MAX_FLOWS") { limits.maxActiveFlows = flows }
        if let retained = value("STAGEBENCH_MAX_RETAINED") {
            limits.maxRetainedFlows = retained
            limits.maxRetainedDNS = retained
        }
        if let pending = value("STAGEBENCH_MAX_PENDING_DNS") { limits.maxPendingDNS = pending }
        return limits
    }

    /// The flows `ssmpath analyze` keeps without --all (as in its AnalysisPipeline): flows whose
    /// ClientHello or CONNECT names an SSM endpoint, and unnamed flows to port 443.
    static func retainLikelySSM(_ flow: TCPFlowRecord) -> Bool {
        if let connect = flow.connect { return EndpointCatalog.identify(DNSName(bytes: lowercased(connect.host))) != nil }
        if let hello = flow.clientHello {
            guard let name = hello.serverName else { return flow.serverPort == 443 }
            return EndpointCatalog.identify(DNSName(bytes: lowercased(name))) != nil
        }
        return flow.serverPort == 443
    }

    static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
    }

    static func printError(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    static func fail(_ message: String) -> Never {
        printError(message)
        exit(2)
    }
}
