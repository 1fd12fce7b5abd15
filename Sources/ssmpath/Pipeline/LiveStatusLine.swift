import Capture
import Correlate
import Foundation

/// The once-a-second status line of `ssmpath live` on stderr: rewritten in place on a terminal,
/// one line per second otherwise.
///
/// The SSM counts per label come from correlating a snapshot of the flow tracker, which costs
/// time on a busy link while packets queue in the kernel. So they are refreshed at most every
/// second and at most 2% of the time: after a refresh that took `d`, the next waits `50 × d`.
final class LiveStatusLine {
    let enabled: Bool
    let options: CorrelationOptions
    private let inPlace = isatty(STDERR_FILENO) == 1
    private var labels: [(label: String, count: Int)] = []
    private var nextLabelRefresh: UInt64 = 0

    init(enabled: Bool, options: CorrelationOptions) { self.enabled = enabled; self.options = options }

    func update(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) {
        guard enabled else { return }
        let line = text(elapsed: elapsed, pipeline: pipeline, stats: stats)
        FileHandle.standardError.write(Data((inPlace ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func finish(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) {
        guard enabled else { return }
        nextLabelRefresh = 0  // the last line shows the final counts
        let line = text(elapsed: elapsed, pipeline: pipeline, stats: stats)
        FileHandle.standardError.write(Data(((inPlace ? "\r\u{1B}[K" : "") + line + "\n").utf8))
    }

    private func text(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) -> String {
        let counters = pipeline.flowCounters
        let drops = stats.map { String($0.dropped &+ $0.interfaceDropped) } ?? "?"
        var line = String(format: "%6.1fs", elapsed)
        line += "  packets \(pipeline.packetsSeen)  drops \(drops)  DNS \(counters.dnsMessages)  TCP flows \(counters.flowsSeen)"
        let now = DispatchTime.now().uptimeNanoseconds
        if now >= nextLabelRefresh {
            labels = pipeline.ssmLabelCounts(options: options)
            let took = DispatchTime.now().uptimeNanoseconds &- now
            let (wait, overflow) = took.multipliedReportingOverflow(by: 50)
            nextLabelRefresh = now &+ (overflow ? UInt64.max / 2 : max(1_000_000_000, wait))
        }
        if !labels.isEmpty {
            line += "  SSM: " + labels.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
        }
        return line
    }
}
