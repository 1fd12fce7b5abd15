// Fuzz target: the whole pipeline on capture-file bytes — CaptureFile (pcap, pcapng, gzip, as libpcap
// and zlib read them) → PacketDecoder → FlowTracker → Correlator. The input is written to a scratch
// file (libpcap reads files) and analysed with small limits, so eviction paths run too.
// Property: flow tracking keeps no more flows or DNS transactions than its limits allow.
import Capture
import Correlate
import Decode
import Flows
import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif

/// One scratch file per fuzzing process, overwritten by every input.
let scratchPath = "/tmp/ssmpath-fuzz-pipeline-\(getpid()).cap"
let maxPacketsPerInput = 20_000

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard writeScratch(fuzzInput(data, size)) else { return 0 }
    defer { unlink(scratchPath) }

    let file: CaptureFile
    do {
        file = try CaptureFile(path: scratchPath)
    } catch {
        blackHole(error)  // not a capture: a typed error is the right answer
        return 0
    }
    var limits = FlowLimits()
    limits.maxActiveFlows = 8
    limits.maxPendingDNS = 8
    limits.maxRetainedFlows = 16
    limits.maxRetainedDNS = 16
    limits.maxFirstBytes = 4096
    var decoder = PacketDecoder()
    let tracker = FlowTracker(limits: limits, retainFlow: { _ in true })
    var packets = 0
    while packets < maxPacketsPerInput, let record = file.next() {
        packets += 1
        if let packet = decoder.decode(record) { tracker.process(packet) }
    }
    let result = tracker.finish(decodeAnomalies: decoder.anomalies)
    property(result.flows.count <= limits.maxRetainedFlows, "kept \(result.flows.count) flows, limit \(limits.maxRetainedFlows)")
    property(result.dns.count <= limits.maxRetainedDNS, "kept \(result.dns.count) DNS transactions, limit \(limits.maxRetainedDNS)")
    let analysis = Correlator.analyze(result, options: CorrelationOptions(includeAllTraffic: true))
    blackHole(analysis.findings.count)
    blackHole(file.info.packets)
    return 0
}

/// Writes the input to the scratch file; false if the file cannot be written (then the input is skipped).
private func writeScratch(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let written = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
        guard written > 0 else { return false }
        offset += written
    }
    return true
}
