import Foundation
import Testing
@testable import Capture

// MARK: - Files that cannot be opened: one typed case each

@Suite struct CaptureErrorTests {
    private func openError(_ path: String) -> CaptureError? {
        do {
            _ = try CaptureFile(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func missingFile() {
        let path = Fixture.path("no-such-file.pcap")
        #expect(openError(path) == .fileNotFound(path: path))
    }

    @Test func directory() {
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(openError(scratch.path) == .isDirectory(path: scratch.path))
    }

    @Test func emptyFile() {
        let path = Fixture.path("empty.pcap")
        #expect(openError(path) == .emptyFile(path: path))
    }

    @Test func textFile() {
        let path = Fixture.path("page.html")
        // "<htm" in file order.
        #expect(openError(path) == .notACapture(path: path, leadingBytes: 0x3c68_746d, compressed: false))
    }

    @Test func gzippedTextFile() {
        let path = Fixture.path("page.html.gz")
        #expect(openError(path) == .notACapture(path: path, leadingBytes: 0x3c68_746d, compressed: true))
    }

    @Test func gzipMagicWithoutDeflateData() {
        guard case .gzipError(_, let reason, _)? = openError(Fixture.path("fake.pcap.gz")) else {
            Issue.record("expected gzipError"); return
        }
        #expect(reason == .corruptStream)
    }

    @Test func shortHeader() {
        guard case .corruptHeader(_, let reason, _)? = openError(Fixture.path("short-header.pcap")) else {
            Issue.record("expected corruptHeader"); return
        }
        #expect(reason == .shortHeader)
    }

    @Test func unsupportedVersion() {
        guard case .unsupported(_, let reason, _)? = openError(Fixture.path("bad-version.pcap")) else {
            Issue.record("expected unsupported"); return
        }
        #expect(reason == .version)
    }

    @Test func unreadableFile() throws {
        // Root reads any file regardless of mode bits; test only where permissions apply.
        guard geteuid() != 0 else { return }
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("locked.pcap").path
        try FileManager.default.copyItem(atPath: Fixture.path("loopback-us.pcap"), toPath: path)
        chmod(path, 0)
        #expect(openError(path) == .permissionDenied(path: path))
    }

    @Test func messageIsOneLineNamingTheFile() {
        let errors: [CaptureError] = [
            .fileNotFound(path: "a.pcap"), .isDirectory(path: "a.pcap"), .permissionDenied(path: "a.pcap"),
            .emptyFile(path: "a.pcap"), .notACapture(path: "a.pcap", leadingBytes: 0x3c68_746d, compressed: false),
            .corruptHeader(path: "a.pcap", reason: .shortHeader, detail: "x"),
            .gzipError(path: "a.pcap", reason: .truncatedStream, detail: "x"),
            .unsupported(path: "a.pcap", reason: .mixedLinkTypes, detail: "x"), .readFailed(path: "a.pcap", errno: 5),
            .liveOpenFailed(interface: "a.pcap", reason: .permissionDenied, detail: "x"), .noSuchInterface(interface: "a.pcap"),
            .filterError(interface: "a.pcap", filter: "tcp or", detail: "x"),
            .writeFailed(path: "a.pcap", reason: .ioError, detail: "x"),
        ]
        for error in errors {
            #expect(error.message.hasPrefix("a.pcap: "))
            #expect(!error.message.contains("\n"))
            #expect(error.message.contains("hint: "))
            #expect(error.path == "a.pcap")
        }
        #expect(CaptureError.notACapture(path: "c", leadingBytes: 0x3c68_746d, compressed: false).message.contains("0x3c68746d"))
        #expect(CaptureError.liveOpenFailed(interface: "eth0", reason: .permissionDenied, detail: "").message
            .contains("setcap cap_net_raw,cap_net_admin=eip"))
    }
}

@Suite struct CaptureSpecialFileTests {
    @Test func fifoIsRefusedNotConsumed() throws {
        let scratch = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("pipe.pcap").path
        #expect(mkfifo(path, 0o600) == 0)
        do {
            _ = try CaptureFile(path: path)
            Issue.record("opened a FIFO")
        } catch {
            guard case .unsupported(_, .notRegularFile, _) = error else { Issue.record("\(error)"); return }
        }
    }
}
