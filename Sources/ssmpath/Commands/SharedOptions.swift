import ArgumentParser
import Correlate
import Flows
import Report
#if canImport(Glibc)
import Glibc
#endif

extension ReportFormat: ExpressibleByArgument {}
extension ReportLanguage: ExpressibleByArgument {}

/// How the report is written: format, language, destination, colour.
struct ReportArguments: ParsableArguments {
    @Option(name: .long, help: "Report format: text, markdown, html or json (default: text on a terminal, else json).")
    var format: ReportFormat?

    @Option(name: .long, help: "Language of the report's sentences: en or ja.")
    var lang: ReportLanguage = .en

    @Option(name: .shortAndLong, help: "Write the report to this file instead of standard output.")
    var output: String?

    @Flag(name: .long, help: "No ANSI colour in the text report (colour is used only on a terminal anyway).")
    var noColor = false

    /// The format to use: as given, else text on a terminal and JSON in a pipe.
    var resolvedFormat: ReportFormat {
        if let format { return format }
        return (output == nil && isatty(STDOUT_FILENO) == 1) ? .text : .json
    }

    var useColor: Bool {
        !noColor && output == nil && resolvedFormat == .text && isatty(STDOUT_FILENO) == 1
            && getenv("NO_COLOR") == nil
    }

    func reportOptions() -> ReportOptions {
        ReportOptions(format: resolvedFormat, language: lang, color: useColor, toolVersion: SSMPath.version)
    }
}

/// What the analysis keeps and how it classes addresses.
struct AnalysisArguments: ParsableArguments {
    @Option(name: .customLong("vpc-cidr"), parsing: .singleValue,
            help: ArgumentHelp("The VPC's CIDR (repeatable), for AmazonProvidedDNS at base+2 and private addresses.", valueName: "cidr"))
    var vpcCIDRTexts: [String] = []

    @Flag(name: .customLong("all"), help: "List every DNS transaction and every TLS or port-443 flow, not only SSM ones.")
    var includeAll = false

    @Option(name: .customLong("dns-timeout"), help: "Seconds a DNS query waits for its answer before it counts as a timeout.")
    var dnsTimeoutSeconds: Int64 = 5

    @Option(name: .customLong("max-flows"), help: "TCP flows tracked at once; the idlest is evicted (and counted) past this.")
    var maxActiveFlows: Int = FlowLimits().maxActiveFlows

    @Option(name: .customLong("max-retained"),
            help: "Finished flows and DNS transactions kept for the report (each). By default at most 16384 of the flows may lack a ClientHello or CONNECT (unanswered SYNs, scans); setting this option applies its value to those too.")
    var maxRetained: Int = FlowLimits().maxRetainedFlows

    @Option(name: .customLong("idle-timeout"), help: "Seconds of silence after which an open TCP flow is evicted.")
    var idleTimeoutSeconds: Int64 = FlowLimits().idleTimeoutSeconds

    func validate() throws {
        for text in vpcCIDRTexts where IPNetwork(text) == nil {
            throw ValidationError("--vpc-cidr \(text): not a CIDR such as 10.0.0.0/16 or fd00:10::/56")
        }
        guard (1...3600).contains(dnsTimeoutSeconds) else { throw ValidationError("--dns-timeout must be 1...3600 seconds") }
        guard (16...50_000_000).contains(maxActiveFlows) else { throw ValidationError("--max-flows must be 16...50000000") }
        guard (16...50_000_000).contains(maxRetained) else { throw ValidationError("--max-retained must be 16...50000000") }
        guard (1...86_400).contains(idleTimeoutSeconds) else { throw ValidationError("--idle-timeout must be 1...86400 seconds") }
    }

    var flowLimits: FlowLimits {
        var limits = FlowLimits()
        limits.dnsTimeoutSeconds = dnsTimeoutSeconds
        limits.maxActiveFlows = maxActiveFlows
        limits.maxRetainedFlows = maxRetained
        limits.maxRetainedDNS = maxRetained
        // The default keeps a SYN flood's nameless flows to their own smaller cap (memory); a user
        // who sets --max-retained asks for that many of every kind.
        if maxRetained != FlowLimits().maxRetainedFlows { limits.maxRetainedFlowsWithoutHandshake = maxRetained }
        limits.idleTimeoutSeconds = idleTimeoutSeconds
        return limits
    }

    var correlationOptions: CorrelationOptions {
        CorrelationOptions(vpcCIDRs: vpcCIDRTexts.compactMap { IPNetwork($0) }, includeAllTraffic: includeAll)
    }
}

/// How capture files are read (analyze, extract).
struct FileReadingArguments: ParsableArguments {
    @Option(name: .customLong("threads"),
            help: "Threads for capture files: one analyzes, the others read files ahead of it (default: the CPUs online). The report is the same with any number; 1 uses one thread.")
    var threads: Int = FileReadingArguments.onlineProcessors

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be 1...256") }
    }

    /// CPUs online (at least 1).
    static var onlineProcessors: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Files read ahead on threads of their own: every thread but the one that analyzes, at most 4
    /// (each holds 4 MiB of packets; more readers than that outrun the one thread that analyzes).
    var readAheadThreads: Int { min(4, threads - 1) }
}
