import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The `ssmpath` command: subcommands for files, live interfaces, extraction and the endpoint catalog.
struct SSMPath: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "ssmpath",
        abstract: "Which path the AWS Systems Manager agent's HTTPS traffic takes, read from packet captures.",
        discussion: """
        ssmpath reads pcap/pcapng files (also gzip-compressed) or sniffs an interface, follows the DNS \
        lookups and TLS connections of the SSM agent (ssm, ssmmessages, ec2messages), and says whether they \
        go through a VPC interface endpoint, NAT/internet, a proxy, or nowhere, and why.

        Exit codes: 0 no error found, 1 error-severity findings, 2 usage error or unreadable input.
        """,
        version: version,
        subcommands: [Analyze.self, Live.self, Extract.self, Endpoints.self, Interfaces.self],
        defaultSubcommand: Analyze.self
    )

    /// Runs the command line, mapping every error to one line on stderr and the documented exit code.
    static func runMain() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Glibc.exit(ExitStatus.ok.rawValue)
        } catch let outcome as CommandOutcome {
            Glibc.exit(outcome.status.rawValue)
        } catch let failure as CommandFailure {
            printError(failure.message)
            Glibc.exit(failure.status.rawValue)
        } catch {
            // Help and --version are "errors" with a zero exit code in ArgumentParser.
            if exitCode(for: error) == .success { self.exit(withError: error) }
            printError(fullMessage(for: error))
            Glibc.exit(ExitStatus.usageOrInput.rawValue)
        }
    }
}

@main
enum Main {
    static func main() { SSMPath.runMain() }
}
