import Foundation
import Testing
@testable import Capture

// MARK: - The default filter on a veth pair, with IPv4 fragments of a large DNS datagram

/// A veth pair whose far end sits in a network namespace created (and deleted) by the test.
/// Traffic stays inside it: the near end has no address; the far end sends to 10.200.77.1 with a
/// static neighbour entry, so frames cross the pair to where the capture listens.
private struct VethLab {
    let namespace: String
    let near: String
    let far: String

    init?() {
        let tag = String(getpid() % 10_000)
        namespace = "capture-lab\(tag)"
        near = "capture\(tag)a"
        far = "capture\(tag)b"
        let steps: [[String]] = [
            ["netns", "add", namespace],
            ["link", "add", near, "type", "veth", "peer", "name", far, "netns", namespace],
            ["link", "set", near, "up"],
            ["netns", "exec", namespace, "ip", "link", "set", far, "up"],
            ["netns", "exec", namespace, "ip", "addr", "add", "10.200.77.2/24", "dev", far],
        ]
        for step in steps where !Self.ip(step) {
            teardown()
            return nil
        }
        guard let mac = try? String(contentsOfFile: "/sys/class/net/\(near)/address", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines),
              Self.ip(["netns", "exec", namespace, "ip", "neigh", "add", "10.200.77.1", "lladdr", mac,
                       "dev", far, "nud", "permanent"]) else {
            teardown()
            return nil
        }
    }

    func teardown() {
        _ = Self.ip(["netns", "del", namespace])
        _ = Self.ip(["link", "del", near])
    }

    /// Runs python3 inside the namespace (bounded by a 10 s timeout).
    func runInside(_ script: String) -> Bool {
        runTool("timeout", ["10", "ip", "netns", "exec", namespace, "python3", "-c", script])?.status == 0
    }

    private static func ip(_ arguments: [String]) -> Bool {
        runTool("ip", arguments)?.status == 0
    }
}

/// IPv4 facts of one Ethernet frame, for the test's own counting (the Capture stage decodes nothing).
private struct IPv4Summary {
    var proto: UInt8
    var fragmentOffset: UInt16
    var destinationPort: UInt16?

    init?(_ frame: UnsafeRawBufferPointer) {
        // Ethernet II: ethertype at 12 (2 bytes); IPv4 header from 14 (RFC 791).
        guard frame.count >= 34, frame[12] == 0x08, frame[13] == 0x00 else { return nil }
        let headerLength = Int(frame[14] & 0x0f) * 4
        proto = frame[23]
        fragmentOffset = (UInt16(frame[20]) << 8 | UInt16(frame[21])) & 0x1fff
        let transport = 14 + headerLength
        if fragmentOffset == 0, frame.count >= transport + 4 {
            destinationPort = UInt16(frame[transport + 2]) << 8 | UInt16(frame[transport + 3])
        }
    }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct LiveFilterLabTests {
    @Test func defaultFilterKeepsDNSFragmentsAndTCPButNotOtherUDP() throws {
        guard geteuid() == 0, let lab = VethLab() else {
            print("skipped: cannot create a network namespace and veth pair here (needs root and ip netns)")
            return
        }
        defer { lab.teardown() }
        let capture = try LiveCapture(options: LiveCaptureOptions(interface: lab.near))

        let sent = lab.runInside("""
            import socket
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.sendto(b"d" * 3000, ("10.200.77.1", 53))     # DNS-sized answer: 3 fragments at MTU 1500
            u.sendto(b"x" * 100, ("10.200.77.1", 5000))    # other UDP: filtered out
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            t.settimeout(0.3)
            try:
                t.connect(("10.200.77.1", 443))             # a SYN nobody answers
            except OSError:
                pass
            """)
        #expect(sent)

        var udpFirstFragmentsToDNS = 0, udpLaterFragments = 0, udpToOtherPorts = 0, tcpToHTTPS = 0
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline && (udpFirstFragmentsToDNS + udpLaterFragments < 3 || tcpToHTTPS == 0) {
            guard case .packet(let record) = capture.nextEvent() else { continue }
            guard let ip = IPv4Summary(record.bytes) else { continue }
            switch (ip.proto, ip.fragmentOffset, ip.destinationPort) {
            case (17, 0, 53?): udpFirstFragmentsToDNS += 1
            case (17, 0, _): udpToOtherPorts += 1
            case (17, _, _): udpLaterFragments += 1
            case (6, 0, 443?): tcpToHTTPS += 1
            default: break
            }
        }
        capture.stop()
        #expect(udpFirstFragmentsToDNS == 1)
        #expect(udpLaterFragments == 2)
        #expect(udpToOtherPorts == 0)
        #expect(tcpToHTTPS >= 1)
    }
}
