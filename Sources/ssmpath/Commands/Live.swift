import ArgumentParser
import Capture
import Dispatch
import Foundation
import Report

/// `ssmpath live --interface IF`: sniff until Ctrl-C (or --duration / --count), then report.
struct Live: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Capture on a network interface until Ctrl-C, --duration or --count, then report.",
        discussion: """
        Needs root, or the capability to capture: \
        sudo setcap cap_net_raw,cap_net_admin=eip ./ssmpath. A status line goes to stderr each second.
        """
    )

    @Option(name: .shortAndLong, help: "Interface to capture on (see `ssmpath interfaces`), e.g. eth0, ens5, any.")
    var interface: String

    @Option(name: .long, help: ArgumentHelp("BPF capture filter (default keeps TCP, DNS and IP fragments).", valueName: "bpf"))
    var filter: String = LiveCapture.defaultFilter

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .long, help: "Stop after this many packets.")
    var count: Int64?

    @Option(name: .shortAndLong, help: "Also write every analyzed packet to this pcap file.")
    var write: String?

    @Option(name: .customLong("buffer-size"),
            help: "Kernel capture buffer in MiB (kernel memory while capturing; lower it on a very small instance).")
    var bufferMiB: Int32 = 64

    @Option(name: .long, help: "Bytes kept of each packet.")
    var snaplen: Int32 = 262_144

    @Flag(name: .long, help: "Capture in promiscuous mode.")
    var promiscuous = false

    @Flag(name: .long, help: "No status line on stderr.")
    var quiet = false

    @OptionGroup var analysis: AnalysisArguments
    @OptionGroup var report: ReportArguments

    func validate() throws {
        if let duration, !(duration > 0 && duration <= 31 * 86_400) { throw ValidationError("--duration must be positive (seconds)") }
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        guard (1...4096).contains(bufferMiB) else { throw ValidationError("--buffer-size must be 1...4096 MiB") }
        guard (64...262_144).contains(snaplen) else { throw ValidationError("--snaplen must be 64...262144") }
    }

    func run() throws {
        var options = LiveCaptureOptions(interface: interface)
        options.filter = filter.isEmpty ? nil : filter
        options.bufferSize = bufferMiB &* 1024 &* 1024
        options.snapshotLength = snaplen
        options.promiscuous = promiscuous
        let capture: LiveCapture
        do {
            capture = try LiveCapture(options: options)
        } catch {
            throw CommandFailure(message: "ssmpath: " + Self.openFailureMessage(error))
        }
        for warning in capture.activationWarnings { printError("ssmpath: warning: \(warning)") }

        var writer: CaptureWriter?
        if let write {
            do {
                writer = try CaptureWriter(path: write, linkType: capture.info.linkTypes.first?.linkType ?? .ethernet,
                                           snapshotLength: snaplen)
            } catch {
                throw CommandFailure(message: "ssmpath: " + error.message)
            }
        }

        let signals = SignalStopper(stopper: capture.stopper)
        defer { signals.cancel() }
        let pipeline = AnalysisPipeline(flowLimits: analysis.flowLimits, includeAllTraffic: analysis.includeAll, fileCount: 1)
        let status = LiveStatusLine(enabled: !quiet, options: analysis.correlationOptions)
        let start = DispatchTime.now().uptimeNanoseconds
        var nextStatus = start &+ 1_000_000_000
        var writeFailure: String?
        // Read once: ArgumentParser's property wrappers cost a metadata lookup on every access.
        let packetLimit = count
        let stopAt = duration.map { start &+ UInt64(($0 * 1e9).rounded()) }
        var stopping = false

        loop: while true {
            switch capture.nextEvent() {
            case .packet(let record):
                pipeline.consume(record)
                if let w = writer, writeFailure == nil {
                    do { try w.write(record) } catch { writeFailure = error.message }
                }
                // --count: not one packet more, so no draining of what the kernel still holds.
                if let packetLimit, pipeline.packetsSeen >= packetLimit { capture.stopNow() }
            case .idle:
                break
            case .end:
                break loop
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if let stopAt, now >= stopAt, !stopping {
                stopping = true
                capture.stop()  // what the kernel holds from before the deadline is still read
            }
            if now >= nextStatus {
                status.update(elapsed: Double(now &- start) / 1e9, pipeline: pipeline, stats: capture.statistics())
                nextStatus = now &+ 1_000_000_000
            }
        }
        status.finish(elapsed: Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9, pipeline: pipeline,
                      stats: capture.statistics())
        if let failure = capture.failure { printError("ssmpath: warning: \(failure); reporting what was captured before it") }
        if let w = writer {
            do { try w.close() } catch { writeFailure = writeFailure ?? error.message }
            if let writeFailure { printError("ssmpath: warning: \(writeFailure)") }
        }

        let result = pipeline.finish(options: analysis.correlationOptions)
        var info = capture.info
        info.warnings = []
        var metadata = CaptureMetadataBuilder.metadata(info, format: "live", undecodable: pipeline.undecodableByFile.first ?? 0)
        if let failure = capture.failure { metadata.warnings.append(failure) }
        if let stats = capture.statistics(), stats.dropped > 0 || stats.interfaceDropped > 0 {
            metadata.warnings.append("\(interface): the kernel dropped \(stats.dropped) packets (interface: \(stats.interfaceDropped)); hint: raise --buffer-size or narrow --filter")
        }
        try ReportOutput.write(result, captures: [metadata], arguments: report)
        if result.verdict.severity == .error || result.findings.contains(where: { $0.severity == .error }) {
            throw CommandOutcome(status: .problemsFound)
        }
    }
}

// MARK: - Messages

extension Live {
    /// One line for a capture that could not start. Permission problems name both ways out, with
    /// the path of this very binary (the generic hint in `CaptureError` names the build directory).
    static func openFailureMessage(_ error: CaptureError) -> String {
        guard case .liveOpenFailed(let interface, let reason, let detail) = error,
              reason == .permissionDenied || reason == .promiscuousPermissionDenied else { return error.message }
        let binary = Bundle.main.executablePath ?? "ssmpath"
        let cause = detail.isEmpty ? "" : " (\(detail))"
        return "\(interface): cannot capture, permission denied\(cause); run as root (sudo \(binary) live ...), "
            + "or allow this binary to capture once: sudo setcap cap_net_raw,cap_net_admin=eip \(binary)"
    }
}

/// Turns SIGINT and SIGTERM into a clean stop of the capture (not a kill).
final class SignalStopper: @unchecked Sendable {
    // @unchecked: the sources are only created and cancelled on the main thread.
    private var sources: [DispatchSourceSignal] = []

    init(stopper: LiveCaptureStopper) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue.global())
            source.setEventHandler { stopper.stop() }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
