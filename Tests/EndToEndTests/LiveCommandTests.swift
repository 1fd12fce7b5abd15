import Foundation
import Testing

/// `ssmpath live` on real interfaces: the lab's instance namespace while a scenario's clients run,
/// and a veth pair of our own for stopping by signal, --duration, --count and the interface going
/// down. Needs root (network namespaces): where `ip netns add` is not permitted the whole suite is
/// skipped, with the reason in the trait below.
///
/// Serialized: the lab is one shared set of `ssmlab-*` namespaces, and a live capture wants the CPU
/// for itself. `live-test.sh` waits a bounded time for someone else's lab to go and otherwise
/// cancels the test (it never tears down a lab it did not bring up).
///
/// The time limit is a guard against a hung harness, not a speed target: every wait inside the
/// harness is bounded (the stop itself must take under 2 s, asserted per test), but on a loaded
/// 2-core CI machine, with the rest of the suite running in parallel, setting up namespaces and
/// the lab for two cases once took past 2 minutes.
@Suite(.serialized,
       .enabled(if: LiveHarness.namespacesAllowed,
                "needs root and `ip netns add` (network namespaces): run `sudo swift test` outside a restricted container"),
       .timeLimit(.minutes(5)))
struct LiveCommandTests {
    // MARK: - The lab: a real scenario, stopped by a signal

    struct LabCase: CustomStringConvertible, Sendable {
        var scenario: String
        var signal: String
        var description: String { "\(scenario) + SIG\(signal)" }
    }

    /// ssmpath live inside the lab instance while the scenario's clients run, stopped by a signal:
    /// it exits within 2 s with the scenario's verdict, and the pcap it wrote is a valid capture that
    /// `ssmpath analyze` reads to the same verdict.
    @Test(arguments: [LabCase(scenario: "02", signal: "INT"), LabCase(scenario: "01", signal: "TERM")])
    func labScenarioStoppedBySignal(_ lab: LabCase) throws {
        let expected = try #require(LiveHarness.expectedVerdict(scenario: lab.scenario),
                                    "Captures/expected.json has no entry for scenario \(lab.scenario)")
        let run = try ranOrCancel(LiveHarness.run(mode: "lab", [lab.scenario, "OUTDIR", "--signal", lab.signal]))
        defer { run.removeDirectory() }
        #expect(run.exitStatus != nil, "ssmpath did not end after SIG\(lab.signal): \(run.stderr)")
        #expect(run.stopMilliseconds >= 0 && run.stopMilliseconds < 2_000, "stopped after \(run.stopMilliseconds) ms")
        #expect(run.verdictCode == expected, "live verdict \(run.verdictCode ?? "none"), stderr: \(run.stderr)")
        let severity = (run.report?["verdict"] as? [String: Any])?["severity"] as? String
        #expect(run.exitStatus == (severity == "error" ? 1 : 0))
        #expect(!run.statusLines.isEmpty, "no status line on stderr: \(run.stderr)")

        // The written pcap: capinfos counts its packets, as many as the report saw.
        let capinfos = try LiveHarness.runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["capinfos", "-c", "-M", run.pcap.path],
                                                  timeoutSeconds: 30)
        #expect(capinfos.status == 0, "capinfos: \(capinfos.stderr)")
        let packets = capinfos.stdout.split(separator: "\n").first { $0.contains("Number of packets") }
            .flatMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
        let reported = (run.report?["captures"] as? [[String: Any]])?.first?["packets"] as? Int
        #expect((packets ?? 0) > 0, "capinfos: \(capinfos.stdout)")
        #expect(packets == reported, "pcap holds \(packets ?? -1) packets, the live report counted \(reported ?? -1)")

        let analyzed = try SSMPathRunner.run(["analyze", "--format", "json", run.pcap.path])
        let analyzedVerdict = (analyzed.json?["verdict"] as? [String: Any])?["code"] as? String
        #expect(analyzedVerdict == expected, "analyze of the written pcap: \(analyzed.stderr)")
    }

    // MARK: - Stopping: signals, --duration, --count

    @Test(arguments: ["INT", "TERM"])
    func signalEndsTheCaptureWithAReport(_ signal: String) throws {
        let run = try ranOrCancel(LiveHarness.run(mode: "veth", ["OUTDIR", "signal:\(signal)"]))
        defer { run.removeDirectory() }
        #expect(run.exitStatus == 0 || run.exitStatus == 1, "exit \(run.exitStatus.map(String.init) ?? "killed"): \(run.stderr)")
        #expect(run.stopMilliseconds >= 0 && run.stopMilliseconds < 2_000, "stopped after \(run.stopMilliseconds) ms")
        #expect(capturedPackets(run) > 0, "no packets in the report: \(run.stderr)")
    }

    /// --duration 3 ends the capture by itself after about 3 s; meanwhile stderr (not a terminal)
    /// gets one status line per second naming packets and drops, then a final one.
    @Test func durationEndsTheCaptureAndStatusLinesComeEverySecond() throws {
        let run = try ranOrCancel(LiveHarness.run(mode: "veth", ["OUTDIR", "none"], liveArguments: ["--duration", "3"]))
        defer { run.removeDirectory() }
        #expect(run.exitStatus == 0 || run.exitStatus == 1, "exit \(run.exitStatus.map(String.init) ?? "killed"): \(run.stderr)")
        // From the start of the process: ~3 s of capture plus start-up and the report.
        #expect(run.stopMilliseconds >= 3_000 && run.stopMilliseconds < 6_000, "ended after \(run.stopMilliseconds) ms")
        #expect(capturedPackets(run) > 0)

        let lines = run.statusLines
        #expect((3...5).contains(lines.count), "status lines: \(lines)")
        #expect(!run.stderr.contains("\r"), "no carriage returns when stderr is not a terminal")
        let seconds = lines.compactMap { line in
            line.split(separator: " ").first.flatMap { Double($0.dropLast()) }  // "  2.0s" → 2.0
        }
        #expect(seconds.count == lines.count, "each line starts with the elapsed seconds: \(lines)")
        for (earlier, later) in zip(seconds, seconds.dropFirst().dropLast()) {
            #expect(later - earlier > 0.7 && later - earlier < 1.5, "status lines \(earlier) s and \(later) s")
        }
        #expect((seconds.last ?? 0) >= 2.9, "the final line reports the whole duration: \(lines)")
    }

    /// --count 15 stops after exactly 15 packets.
    @Test func countEndsTheCaptureAfterThatManyPackets() throws {
        let run = try ranOrCancel(LiveHarness.run(mode: "veth", ["OUTDIR", "none"], liveArguments: ["--count", "15"]))
        defer { run.removeDirectory() }
        #expect(run.exitStatus == 0 || run.exitStatus == 1, "exit \(run.exitStatus.map(String.init) ?? "killed"): \(run.stderr)")
        #expect(capturedPackets(run) == 15, "\(run.stderr)")
        // 10 connects a second, two packets each: 15 packets take about a second.
        #expect(run.stopMilliseconds < 8_000, "ended after \(run.stopMilliseconds) ms")
    }

    // MARK: - The interface goes away (issue 8.5)

    /// Setting the interface down or deleting it mid-capture ends the capture with one clear line
    /// on stderr, and the report of what was captured before is still written (exit 0 or 1).
    /// A deleted veth goes down first: libpcap's "The interface disappeared" and ssmpath's own
    /// check when reads go idle ("the interface went down", or "the interface disappeared" once
    /// the device is gone) race, and each is right.
    @Test(arguments: [("link-down", ["the interface went down"]),
                      ("link-delete", ["The interface disappeared", "the interface disappeared", "the interface went down"])])
    func interfaceGoingAwayEndsTheCaptureWithAReport(_ action: String, _ messages: [String]) throws {
        let run = try ranOrCancel(LiveHarness.run(mode: "veth", ["OUTDIR", action]))
        defer { run.removeDirectory() }
        #expect(run.exitStatus == 0 || run.exitStatus == 1, "exit \(run.exitStatus.map(String.init) ?? "killed"): \(run.stderr)")
        #expect(run.stopMilliseconds >= 0 && run.stopMilliseconds < 2_000, "ended \(run.stopMilliseconds) ms after \(action)")
        let notice = run.stderr.split(separator: "\n").filter { $0.contains("capture stopped") }
        #expect(notice.count == 1, "one line says why: \(run.stderr)")
        #expect(messages.contains { notice.first?.contains("lva: capture stopped: \($0)") == true }, "stderr: \(run.stderr)")
        #expect(capturedPackets(run) > 0, "the packets before \(action) are reported")
        let warnings = (run.report?["captures"] as? [[String: Any]])?.first?["warnings"] as? [String] ?? []
        #expect(warnings.contains { warning in messages.contains { warning.contains($0) } },
                "the report names why the capture ended: \(warnings)")
    }

    // MARK: - Helpers

    /// The run, or cancels the test with the harness's reason (someone else's lab is up, ...).
    private func ranOrCancel(_ outcome: LiveHarness.Outcome) throws -> LiveHarness.Run {
        switch outcome {
        case .ran(let run): return run
        case .skipped(let reason): try Test.cancel(Comment(rawValue: reason))
        }
    }

    private func capturedPackets(_ run: LiveHarness.Run) -> Int {
        (run.report?["captures"] as? [[String: Any]])?.first?["packets"] as? Int ?? 0
    }
}

/// Without the right to capture, `ssmpath live` says so in one line naming root and setcap, and
/// exits 2. As root the test drops to `nobody` (setpriv clears every capability with the uid
/// change); as another user it runs as that user.
@Suite struct LivePrivilegeTests {
    static let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
    static var canDropToNobody: Bool {
        getuid() != 0 || (FileManager.default.isExecutableFile(atPath: setpriv.path) && getpwnam("nobody") != nil)
    }

    @Test(.enabled(if: canDropToNobody, "running as root without setpriv or a `nobody` user to drop to"))
    func withoutCapturePrivilegeSaysRootOrSetcapAndExits2() throws {
        let binary = SSMPathRunner.binary.path
        let live = ["live", "--interface", "lo", "--duration", "1"]
        let result: LiveHarness.ProcessResult
        if getuid() == 0 {
            let group = getgrnam("nogroup") != nil ? "nogroup" : "nobody"
            result = try LiveHarness.runProcess(Self.setpriv, ["--reuid=nobody", "--regid=\(group)", "--clear-groups",
                                                               "--inh-caps=-all", binary] + live, timeoutSeconds: 30)
        } else {
            result = try LiveHarness.runProcess(URL(fileURLWithPath: binary), live, timeoutSeconds: 30)
        }
        if result.status == 127 || result.stderr.contains("Permission denied") && !result.stderr.contains("ssmpath:") {
            try Test.cancel("nobody cannot execute \(binary): \(result.stderr)")
        }
        #expect(result.status == 2, "exit \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.stderr)")
        let line = lines.first ?? ""
        #expect(line.contains("permission denied"))
        #expect(line.contains("root"))
        #expect(line.contains("setcap cap_net_raw,cap_net_admin=eip"))
        #expect(result.stdout.isEmpty, "no report without a capture")
    }
}
