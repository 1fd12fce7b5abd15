import Correlate
import Foundation
import Report

/// Renders a report and writes it to standard output or `--output`.
enum ReportOutput {
    static func write(_ analysis: Analysis, captures: [CaptureMetadata], arguments: ReportArguments) throws {
        let text = ReportWriter.render(analysis, captures: captures, options: arguments.reportOptions())
        guard let path = arguments.output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure(message: "ssmpath: \(path): cannot write the report (\(error.localizedDescription)); hint: check the folder exists and is writable")
        }
    }
}
