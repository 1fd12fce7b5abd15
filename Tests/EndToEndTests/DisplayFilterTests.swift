import Foundation
import Testing

/// What the report tells a person to look at in Wireshark must be there: for every lab capture,
/// each finding's display filter matches packets in tshark, and each evidence item names a frame
/// that exists, at the time tshark gives it. Skipped when tshark is not installed.
@Suite(.enabled(if: Tshark.path != nil, "tshark is not installed"))
struct DisplayFilterTests {
    static let captures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: SSMPathRunner.capturesDirectory.path)) ?? []
        return names.filter { $0.contains(".pcap") }.sorted()
    }()

    @Test func capturesArePresent() {
        #expect(Self.captures.count >= 14)
    }

    @Test(arguments: captures)
    func filtersMatchAndEvidenceFramesExist(_ name: String) throws {
        let path = SSMPathRunner.capturesDirectory.appendingPathComponent(name).path
        let report = try Report(path: path)
        let frameTimes = try Tshark.frameTimes(path)
        #expect(!frameTimes.isEmpty, "\(name): tshark read no frames")
        #expect(!report.findings.isEmpty, "\(name): no findings")

        for finding in report.findings {
            if let filter = finding.displayFilter {
                let matches = try Tshark.count(path, filter: filter)
                #expect(matches > 0, "\(name) \(finding.code): display filter matches nothing: \(filter)")
            }
            for item in finding.evidence {
                guard let tsharkTime = frameTimes[item.frame] else {
                    Issue.record("\(name) \(finding.code): evidence \(item.kind) names frame \(item.frame), not in the capture")
                    continue
                }
                let difference = abs(tsharkTime - item.microseconds)
                #expect(difference <= 1, "\(name) \(finding.code): frame \(item.frame) at \(item.time), tshark says \(tsharkTime) µs")
            }
        }
    }

    /// Lab 11: the path drops the full-size first segment of a post-quantum ClientHello. The
    /// finding names it, offers the post-quantum and firewall remedies, and its resent segments
    /// are evidence that tshark also calls retransmissions.
    @Test func unacknowledgedClientHelloEvidenceIsTheRetransmissions() throws {
        let path = SSMPathRunner.capturesDirectory.appendingPathComponent("11-small-mtu-split-clienthello.pcapng").path
        let report = try Report(path: path)
        let finding = try #require(report.findings.first)
        #expect(finding.code == "tls-failure")
        #expect(Array(finding.remedies.prefix(2)) == ["disable-post-quantum-key-share", "firewall-client-hello-rule"])
        #expect(finding.detail.contains("ClientHello") && finding.detail.contains("GODEBUG=tlsmlkem=0"))
        let resent = finding.evidence.filter { $0.kind == "client-hello-retransmit" }
        #expect(resent.count >= 2)
        for item in resent {
            let matches = try Tshark.count(path, filter: "frame.number == \(item.frame) && tcp.analysis.retransmission")
            #expect(matches == 1, "frame \(item.frame) is not a TCP retransmission in tshark")
        }
    }

    /// Lab 12: the CONNECT evidence is the frame that carries the CONNECT request.
    @Test func connectEvidenceIsTheConnectRequest() throws {
        let path = SSMPathRunner.capturesDirectory.appendingPathComponent("12-proxy.pcap").path
        let report = try Report(path: path)
        let finding = try #require(report.findings.first)
        #expect(finding.code == "healthy-proxy")
        let connects = finding.evidence.filter { $0.kind == "connect" }
        #expect(!connects.isEmpty)
        for item in connects {
            let matches = try Tshark.count(path, filter: "frame.number == \(item.frame) && http.request.method == \"CONNECT\"")
            #expect(matches == 1, "frame \(item.frame) is not a CONNECT request in tshark")
        }
    }
}

// MARK: - The JSON report, as far as these tests read it

private struct Report {
    struct Evidence {
        var kind: String
        var frame: Int
        var time: String
        /// `time` as microseconds since the epoch.
        var microseconds: Int64
    }
    struct Finding {
        var code: String
        var detail: String
        var displayFilter: String?
        var remedies: [String]
        var evidence: [Evidence]
    }
    var findings: [Finding]

    init(path: String) throws {
        let output = try SSMPathRunner.run(["analyze", "--format", "json", path])
        let json = try #require(output.json, "no JSON for \(path): \(output.stderr)")
        let findings = try #require(json["findings"] as? [[String: Any]])
        self.findings = try findings.map { f in
            let evidence = try (f["evidence"] as? [[String: Any]] ?? []).map { e in
                let time = try #require(e["time"] as? String)
                return Evidence(kind: e["kind"] as? String ?? "", frame: try #require(e["frame"] as? Int), time: time,
                                microseconds: try #require(Self.microseconds(iso: time), "unreadable time \(time)"))
            }
            return Finding(code: f["code"] as? String ?? "", detail: f["detail"] as? String ?? "",
                           displayFilter: f["displayFilter"] as? String,
                           remedies: (f["remediation"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String },
                           evidence: evidence)
        }
    }

    /// "2026-11-29T09:54:42.317588Z" → microseconds since the epoch (fraction to 6 digits).
    static func microseconds(iso: String) -> Int64? {
        guard iso.hasSuffix("Z") else { return nil }
        let body = iso.dropLast()
        let parts = body.split(separator: ".", maxSplits: 1)
        guard let whole = parts.first else { return nil }
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: whole + "Z") else { return nil }
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return Int64(date.timeIntervalSince1970) * 1_000_000 + Tshark.microsecondsOfFraction(fraction)
    }
}

// MARK: - tshark

enum Tshark {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":")
        return directories.map { "\($0)/tshark" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Packets matching `filter` in the capture at `capture`.
    static func count(_ capture: String, filter: String) throws -> Int {
        let output = try run(["-r", capture, "-Y", filter, "-T", "fields", "-e", "frame.number"])
        return output.split(separator: "\n").count
    }

    /// Frame number → frame.time_epoch in microseconds (truncated), for every frame.
    static func frameTimes(_ capture: String) throws -> [Int: Int64] {
        let output = try run(["-r", capture, "-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch"])
        var times: [Int: Int64] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let number = Int(fields[0]) else { continue }
            let epoch = fields[1].split(separator: ".", maxSplits: 1)
            guard let seconds = epoch.first.flatMap({ Int64($0) }) else { continue }
            times[number] = seconds * 1_000_000 + microsecondsOfFraction(epoch.count > 1 ? String(epoch[1]) : "")
        }
        return times
    }

    /// ".317588123" digits → 317588 (the first six digits, zero-padded).
    static func microsecondsOfFraction(_ digits: String) -> Int64 {
        let six = String((digits + "000000").prefix(6))
        return Int64(six) ?? 0
    }

    private static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/tshark")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tshark \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
