import ArgumentParser
import Capture
import Correlate
import Report

/// `ssmpath analyze CAPTURE...`: several files are one capture set, read in time order.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyze pcap/pcapng capture files (gzip-compressed too) or directories of them.",
        discussion: "Several files are analyzed as one capture, in time order."
    )

    @Argument(help: ArgumentHelp("Capture files or directories.", valueName: "capture"))
    var captures: [String]

    @OptionGroup var analysis: AnalysisArguments
    @OptionGroup var reading: FileReadingArguments
    @OptionGroup var report: ReportArguments

    func validate() throws {
        if captures.isEmpty { throw ValidationError("give at least one capture file, e.g. ssmpath analyze capture.pcap") }
    }

    func run() throws {
        let paths = try CaptureFileList.expand(captures)
        let openable = OpenFileLimit.raise()
        if paths.count > openable {
            throw CommandFailure(message: "ssmpath: \(paths.count) capture files are more than the \(openable) this process may open at once; hint: merge them first (mergecap -w all.pcapng FILES) or raise `ulimit -n`")
        }
        let captureSet: CaptureSet
        do {
            captureSet = try CaptureSet.open(paths: paths, readAheadThreads: reading.readAheadThreads)
        } catch {
            throw CommandFailure(message: "ssmpath: " + error.message)
        }
        let pipeline = AnalysisPipeline(flowLimits: analysis.flowLimits, includeAllTraffic: analysis.includeAll,
                                        fileCount: paths.count)
        pipeline.run(captureSet)
        let result = pipeline.finish(options: analysis.correlationOptions)
        var metadata = CaptureMetadataBuilder.files(captureSet.infos, undecodable: pipeline.undecodableByFile)
        let linkTypeWarnings = LinkTypeCheck.warnings(captureSet.infos, notIPFrames: pipeline.notIPByFile)
        for warning in linkTypeWarnings where metadata.indices.contains(warning.file) {
            metadata[warning.file].warnings.append(warning.message)
        }
        try ReportOutput.write(result, captures: metadata, arguments: report)
        for file in captureSet.infos {
            for warning in file.warningMessages { printError("ssmpath: warning: \(warning)") }
        }
        for warning in linkTypeWarnings { printError("ssmpath: warning: \(warning.message)") }
        if result.findings.contains(where: { $0.severity == .error }) || result.verdict.severity == .error {
            throw CommandOutcome(status: .problemsFound)
        }
    }
}
