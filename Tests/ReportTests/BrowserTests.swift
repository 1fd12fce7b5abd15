import Correlate
import Foundation
import Testing
@testable import Report

// MARK: - The HTML report in a real headless browser

@Suite("HTML in Chromium", .serialized)
struct BrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Screenshots stay here for a person to look at.
    static let outputDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("ssmpath-report-screenshots")

    /// Width and height from a PNG's IHDR chunk (RFC 2083 §11.2.2), nil if the bytes are not a PNG.
    static func pngSize(_ data: Data) -> (width: UInt32, height: UInt32)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
        func be32(_ o: Int) -> UInt32 { bytes[o..<(o + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        return (be32(16), be32(20))
    }

    /// Runs Chromium with a deadline; returns its exit status (or nil when it had to be killed).
    static func run(_ executable: String, _ arguments: [String], seconds: Double) throws -> Int32? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    @Test("the domain-joined report renders at phone and desktop width",
          arguments: ReportLanguage.allCases, [390, 1280])
    func screenshot(_ language: ReportLanguage, _ width: Int) throws {
        guard let chromium = Self.chromium else {
            print("BrowserTests skipped: no chromium or chromium-browser on this machine (apt-get install chromium)")
            return
        }
        let s = Scenario.domainJoined
        let html = ReportWriter.render(s.analysis, captures: s.captures,
                                       options: ReportOptions(format: .html, language: language, toolVersion: "0.0.0-test"))
        try FileManager.default.createDirectory(at: Self.outputDirectory, withIntermediateDirectories: true)
        let page = Self.outputDirectory.appendingPathComponent("domain-joined.\(language.rawValue).html")
        let png = Self.outputDirectory.appendingPathComponent("domain-joined.\(language.rawValue).\(width).png")
        try html.write(to: page, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: png)
        let profile = Self.outputDirectory.appendingPathComponent("profile-\(language.rawValue)-\(width)")
        let status = try Self.run(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--screenshot=\(png.path)", "--window-size=\(width),2400",
            page.absoluteString,
        ], seconds: 90)
        #expect(status == 0, "chromium exited with \(String(describing: status))")
        let data = try Data(contentsOf: png)
        #expect(data.count > 20_000, "screenshot is suspiciously small: \(data.count) bytes")
        let size = try #require(Self.pngSize(data))
        #expect(size.width == UInt32(width))
        #expect(size.height == 2400)
    }
}
