import Foundation
import Testing
@testable import Capture

// MARK: - Live capture on loopback (traffic to 127.0.0.1 only)

@Suite(.serialized, .timeLimit(.minutes(1))) struct LiveCaptureTests {
    /// Opens a capture on `lo`, or nil (with a printed reason) where capturing is not permitted.
    private func openLoopback(filter: String?) throws -> LiveCapture? {
        var options = LiveCaptureOptions(interface: "lo")
        options.filter = filter
        do {
            return try LiveCapture(options: options)
        } catch {
            if case .liveOpenFailed(_, .permissionDenied, _) = error {
                print("skipped: live capture not permitted here (\(error.message))")
                return nil
            }
            throw error
        }
    }

    /// Sends `count` UDP datagrams to 127.0.0.1:`port`.
    private func sendDatagrams(count: Int, port: UInt16) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { return }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        for index in 0..<count {
            var payload = Array("capture-live-\(index)".utf8)
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(socket, &payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    @Test func capturesDatagramsSentToLoopback() throws {
        let port: UInt16 = 39_517
        guard let capture = try openLoopback(filter: "udp port \(port)") else { return }
        sendDatagrams(count: 5, port: port)
        var seen = 0
        let deadline = Date().addingTimeInterval(5)
        while seen < 5 && Date() < deadline {
            switch capture.nextEvent() {
            case .packet(let record):
                #expect(record.linkType == .ethernet)
                #expect(record.ref.number == Int64(seen + 1))
                seen += 1
            case .idle: continue
            case .end: Issue.record("ended early: \(capture.failure ?? "")"); return
            }
        }
        #expect(seen == 5)
        #expect(capture.info.packets == 5)
        let stats = capture.statistics()
        #expect(stats != nil)
        #expect((stats?.received ?? 0) >= 5)
    }

    @Test func idleThenStopFromAnotherThreadEndsWithinASecond() async throws {
        guard let capture = try openLoopback(filter: "udp port 39518") else { return }
        #expect({ if case .idle = capture.nextEvent() { return true } else { return false } }(), "no traffic: idle")
        let stopper = capture.stopper
        let start = Date()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            stopper.stop()
        }
        var ended = false
        while Date().timeIntervalSince(start) < 3 {
            if case .end = capture.nextEvent() { ended = true; break }
        }
        #expect(ended)
        #expect(Date().timeIntervalSince(start) < 1.5)
        if case .end = capture.nextEvent() {} else { Issue.record("stays ended") }
    }

    /// Packets the kernel took before `stop()` are still delivered: the last ring block reaches
    /// libpcap only when its timer fires, so stopping drains it (within the read timeout + 100 ms).
    @Test func stopDeliversWhatTheKernelAlreadyHolds() throws {
        let port: UInt16 = 39_519
        guard let capture = try openLoopback(filter: "udp port \(port)") else { return }
        if case .idle = capture.nextEvent() {} else { Issue.record("no traffic yet: idle") }
        sendDatagrams(count: 7, port: port)
        capture.stop()
        let start = Date()
        var seen = 0
        while Date().timeIntervalSince(start) < 3, case .packet = capture.nextEvent() { seen += 1 }
        #expect(seen == 7)
        #expect(Date().timeIntervalSince(start) < 1)
        if case .end = capture.nextEvent() {} else { Issue.record("stays ended") }
    }

    /// `stopNow()` (for --count) ends at once, whatever the kernel still holds.
    @Test func stopNowEndsAtOnce() throws {
        let port: UInt16 = 39_520
        guard let capture = try openLoopback(filter: "udp port \(port)") else { return }
        sendDatagrams(count: 3, port: port)
        capture.stopNow()
        if case .end = capture.nextEvent() {} else { Issue.record("stopNow: .end at once") }
        #expect(capture.info.packets == 0)
    }

    @Test func defaultFilterCompilesOnLoopback() throws {
        guard let capture = try openLoopback(filter: LiveCapture.defaultFilter) else { return }
        #expect(capture.options.filter == LiveCapture.defaultFilter)
    }

    @Test func badFilterIsAFilterError() throws {
        var options = LiveCaptureOptions(interface: "lo")
        options.filter = "tcp and and port"
        do {
            _ = try LiveCapture(options: options)
            Issue.record("bad filter accepted")
        } catch {
            switch error {
            case .filterError(let interface, let filter, let detail):
                #expect(interface == "lo")
                #expect(filter == "tcp and and port")
                #expect(!detail.isEmpty)
            case .liveOpenFailed(_, .permissionDenied, _):
                print("skipped: live capture not permitted here")
            default:
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func unknownInterface() {
        #expect(throws: CaptureError.noSuchInterface(interface: "capture-nope0")) {
            _ = try LiveCapture(options: LiveCaptureOptions(interface: "capture-nope0"))
        }
    }

    @Test func interfacesIncludeLoopback() throws {
        let interfaces = try LiveCapture.interfaces()
        let loopback = interfaces.first { $0.name == "lo" }
        #expect(loopback?.isLoopback == true)
        #expect(loopback?.isUp == true)
        #expect(loopback?.addresses.contains("127.0.0.1") == true)
    }
}
