import Testing
@testable import Capture

@Test func explore() {
    for name in ["loopback-us.pcap", "loopback-ns.pcap.gz", "two-sections.pcapng", "mixed-linktypes.pcapng", "corrupt-record.pcap", "cut-mid-packet.pcap", "cut-stream.pcap.gz", "bad-version.pcap", "short-header.pcap", "fake.pcap.gz", "page.html.gz", "empty.pcap", "any-sll2.pcap"] {
        do {
            let file = try CaptureFile(path: Fixture.path(name))
            let info = file.readAll()
            print("EXPLORE \(name): \(info.format.name) \(info.linkTypes) packets=\(info.packets) bytes=\(info.bytes) first=\(String(describing: info.firstPacket)) warnings=\(info.warningMessages) capinfos=\(String(describing: CapinfosFacts.of(Fixture.path(name))))")
        } catch {
            print("EXPLORE \(name): ERROR \(error) -- \(error.message)")
        }
    }
}
