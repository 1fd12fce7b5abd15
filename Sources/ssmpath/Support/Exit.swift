import Foundation

/// Exit codes: 0 ok, 1 error-severity findings, 2 usage or unreadable input.
enum ExitStatus: Int32 {
    case ok = 0
    case problemsFound = 1
    case usageOrInput = 2
}

/// A failure to report to a person: one line on stderr, then the exit code.
struct CommandFailure: Error {
    var message: String
    var status: ExitStatus = .usageOrInput
}

/// A finished command that wants a specific exit code (e.g. 1 when errors were found).
struct CommandOutcome: Error {
    var status: ExitStatus
}

/// Writes one line to standard error.
func printError(_ line: String) {
    var text = line
    if !text.hasSuffix("\n") { text += "\n" }
    FileHandle.standardError.write(Data(text.utf8))
}
