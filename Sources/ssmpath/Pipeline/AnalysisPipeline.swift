import Capture
import Correlate
import Decode
import Flows

/// Capture → Decode → Flows for one capture set or live interface, packet by packet.
///
/// The only per-packet work here is handing the record on; decode and flow tracking own their state.
final class AnalysisPipeline {
    private var decoder: PacketDecoder
    private let tracker: FlowTracker
    /// Frames per file that could not be decoded, for `captures[].undecodable`.
    private(set) var undecodableByFile: [Int64]
    /// Frames per file that held no IP packet (not IP, unsupported link type or malformed): when
    /// that is every frame, the file's link type is probably wrong (see `LinkTypeCheck`).
    private(set) var notIPByFile: [Int64]
    private(set) var packetsSeen: Int64 = 0

    init(flowLimits: FlowLimits, includeAllTraffic: Bool, fileCount: Int) {
        decoder = PacketDecoder()
        if includeAllTraffic {
            tracker = FlowTracker(limits: flowLimits, retainFlow: { AnalysisPipeline.retainAny($0) })
        } else {
            tracker = FlowTracker(limits: flowLimits, retainFlow: { AnalysisPipeline.retainLikelySSM($0) })
        }
        undecodableByFile = Array(repeating: 0, count: max(fileCount, 1))
        notIPByFile = Array(repeating: 0, count: max(fileCount, 1))
    }

    /// Decodes one frame and feeds flow tracking.
    @inline(__always)
    func consume(_ record: PacketRecord) {
        packetsSeen &+= 1
        Self.step(record, decoder: &decoder, tracker: tracker, notIPByFile: &notIPByFile, undecodableByFile: &undecodableByFile)
    }

    /// Reads every packet of `source` (a file set) through the pipeline.
    ///
    /// The decoder and counters live in locals for the loop: as stored properties of this class,
    /// every packet would pay dynamic exclusivity checks on them.
    func run<Source: PacketSource>(_ source: Source) {
        var localDecoder = decoder
        decoder = PacketDecoder(limits: localDecoder.limits)  // one owner: no copy-on-write of its state
        var notIP = notIPByFile, undecodable = undecodableByFile
        var seen = packetsSeen
        let tracker = self.tracker
        while case .packet(let record) = source.nextEvent() {
            seen &+= 1
            Self.step(record, decoder: &localDecoder, tracker: tracker, notIPByFile: &notIP, undecodableByFile: &undecodable)
        }
        decoder = localDecoder
        notIPByFile = notIP
        undecodableByFile = undecodable
        packetsSeen = seen
    }

    /// One frame: decode, track, and count per file the frames that held no IP packet and those
    /// that could not be decoded.
    @inline(__always)
    private static func step(_ record: PacketRecord, decoder: inout PacketDecoder, tracker: FlowTracker,
                             notIPByFile: inout [Int64], undecodableByFile: inout [Int64]) {
        let undecodableBefore = decoder.anomalies.undecodable
        let notIPBefore = decoder.anomalies.notIP
        if let packet = decoder.decode(record) {
            tracker.process(packet)
            return
        }
        let undecodable = decoder.anomalies.undecodable != undecodableBefore
        guard undecodable || decoder.anomalies.notIP != notIPBefore else { return }
        let index = Int(record.ref.fileIndex)
        if notIPByFile.indices.contains(index) { notIPByFile[index] &+= 1 }
        if undecodable, undecodableByFile.indices.contains(index) { undecodableByFile[index] &+= 1 }
    }

    /// Live status: what has been seen so far.
    var decodeAnomalies: DecodeAnomalies { decoder.anomalies }
    var flowCounters: FlowCounters { tracker.counters }

    /// The state so far, for the live status line: cheap to take between packets; count its SSM
    /// labels with `ssmLabelCounts(_:options:)` on any thread.
    func labelSnapshot() -> FlowsSnapshot { tracker.deferredSnapshot(decodeAnomalies: decoder.anomalies) }

    /// SSM flows per label in `snapshot` (open flows included), for the live status line.
    static func ssmLabelCounts(_ snapshot: FlowsSnapshot, options: CorrelationOptions) -> [(label: String, count: Int)] {
        let analysis = Correlator.analyze(snapshot.result(), options: options)
        var counts: [FlowLabel: Int] = [:]
        for flow in analysis.flows where flow.isSSM { counts[flow.label, default: 0] += 1 }
        return FlowLabel.allCases.compactMap { label in counts[label].map { (label.rawValue, $0) } }
    }

    /// Ends the run and correlates.
    func finish(options: CorrelationOptions) -> Analysis {
        let result = tracker.finish(decodeAnomalies: decoder.anomalies)
        return Correlator.analyze(result, options: options)
    }

    // MARK: - Which finished flows are kept

    /// With --all: every flow that went to 443, carried a ClientHello or a CONNECT.
    static func retainAny(_ flow: Flows.TCPFlowRecord) -> Bool {
        flow.serverPort == 443 || flow.clientHello != nil || flow.connect != nil
    }

    /// Without --all: flows that may be the SSM agent's. Flows whose ClientHello or CONNECT names a
    /// non-SSM host are dropped early, which keeps memory bounded on busy captures; flows to 443
    /// without a name (timeouts, resets) are kept because DNS may name them later in correlation.
    static func retainLikelySSM(_ flow: Flows.TCPFlowRecord) -> Bool {
        if let connect = flow.connect { return EndpointCatalog.identify(Decode.DNSName(bytes: lowercased(connect.host))) != nil }
        if let hello = flow.clientHello {
            guard let name = hello.serverName else { return flow.serverPort == 443 }
            return EndpointCatalog.identify(Decode.DNSName(bytes: lowercased(name))) != nil
        }
        return flow.serverPort == 443
    }

    private static func lowercased(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
    }
}
