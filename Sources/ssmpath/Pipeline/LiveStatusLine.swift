import Capture
import Correlate
import Flows
import Foundation
import Synchronization

/// The once-a-second status line of `ssmpath live` on stderr: rewritten in place on a terminal,
/// one line per second otherwise.
///
/// The SSM counts per label come from correlating a snapshot of the flow tracker. On a busy link
/// that takes long (a quarter of a second with 200,000 DNS transactions kept), and packets would
/// queue in the kernel meanwhile: so only the snapshot is taken on the packet thread, and the
/// correlation runs on another, at the lowest priority. Counts are refreshed at most every second and at most 2% of the
/// time: after a refresh that took `d`, the next waits `50 × d`.
final class LiveStatusLine {
    let enabled: Bool
    let options: CorrelationOptions
    private let inPlace = isatty(STDERR_FILENO) == 1
    private let refresh = LabelRefresh()

    init(enabled: Bool, options: CorrelationOptions) { self.enabled = enabled; self.options = options }

    func update(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) {
        guard enabled else { return }
        let line = text(elapsed: elapsed, pipeline: pipeline, stats: stats)
        FileHandle.standardError.write(Data((inPlace ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func finish(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?) {
        guard enabled else { return }
        let line = text(elapsed: elapsed, pipeline: pipeline, stats: stats, final: true)  // the final counts
        FileHandle.standardError.write(Data(((inPlace ? "\r\u{1B}[K" : "") + line + "\n").utf8))
    }

    private func text(elapsed: Double, pipeline: AnalysisPipeline, stats: LiveCaptureStatistics?, final: Bool = false) -> String {
        let counters = pipeline.flowCounters
        let drops = stats.map { String($0.dropped &+ $0.interfaceDropped) } ?? "?"
        var line = String(format: "%6.1fs", elapsed)
        line += "  packets \(pipeline.packetsSeen)  drops \(drops)  DNS \(counters.dnsMessages)  TCP flows \(counters.flowsSeen)"
        let labels: [(label: String, count: Int)]
        if final {
            labels = AnalysisPipeline.ssmLabelCounts(pipeline.labelSnapshot(), options: options)
        } else {
            labels = refresh.latest
            if refresh.claimIfDue(now: DispatchTime.now().uptimeNanoseconds) {
                let snapshot = pipeline.labelSnapshot()
                let options = self.options
                let refresh = self.refresh
                // A thread of its own at the lowest priority (nice 19): on a machine with few CPUs
                // the packet thread keeps its share while this runs.
                Thread.detachNewThread {
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)  // Linux: this thread only
                    let began = DispatchTime.now().uptimeNanoseconds
                    let counts = AnalysisPipeline.ssmLabelCounts(snapshot, options: options)
                    refresh.store(counts, began: began, ended: DispatchTime.now().uptimeNanoseconds)
                }
            }
        }
        if !labels.isEmpty {
            line += "  SSM: " + labels.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
        }
        return line
    }
}

/// The latest SSM label counts and when the next refresh may start, shared with the thread
/// that computes them.
final class LabelRefresh: Sendable {
    private struct State {
        var labels: [(label: String, count: Int)] = []
        var running = false
        var next: UInt64 = 0
    }
    private let state = Mutex(State())

    var latest: [(label: String, count: Int)] { state.withLock { $0.labels } }

    /// True (and marked running) when no refresh runs and its time has come.
    func claimIfDue(now: UInt64) -> Bool {
        state.withLock { state in
            guard !state.running, now >= state.next else { return false }
            state.running = true
            return true
        }
    }

    /// A refresh that ran from `began` to `ended`: the next may start after 50 times as long (a
    /// second at least).
    func store(_ labels: [(label: String, count: Int)], began: UInt64, ended: UInt64) {
        let took = ended &- began
        let (wait, overflow) = took.multipliedReportingOverflow(by: 50)
        state.withLock { state in
            state.labels = labels
            state.running = false
            state.next = ended &+ (overflow ? UInt64.max / 2 : max(1_000_000_000, wait))
        }
    }
}
