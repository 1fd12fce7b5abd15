import Capture
import Correlate
import Foundation

/// The once-a-second status line of `ssmpath live` on stderr: rewritten in place on a terminal,
/// one line per second otherwise.
struct LiveStatusLine {
    let enabled: Bool
    let options: CorrelationOptions
    private let inPlace = isatty(STDERR_FILENO) == 1

    init(enabled: Bool, options: CorrelationOptions) { self.enabled = enabled; self.options = options }

    func update(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) {
        guard enabled else { return }
        let line = text(elapsed: elapsed, pipeline: pipeline, stats: stats)
        FileHandle.standardError.write(Data((inPlace ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func finish(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) {
        guard enabled else { return }
        let line = text(elapsed: elapsed, pipeline: pipeline, stats: stats)
        FileHandle.standardError.write(Data(((inPlace ? "\r\u{1B}[K" : "") + line + "\n").utf8))
    }

    private func text(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) -> String {
        let counters = pipeline.flowCounters
        let drops = stats.map { String($0.dropped &+ $0.interfaceDropped) } ?? "?"
        var line = String(format: "%6.1fs", elapsed)
        line += "  packets \(pipeline.packetsSeen)  drops \(drops)  DNS \(counters.dnsMessages)  TCP flows \(counters.flowsSeen)"
        let labels = pipeline.ssmLabelCounts(options: options)
        if !labels.isEmpty {
            line += "  SSM: " + labels.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
        }
        return line
    }
}
