import Foundation
import Testing
@testable import Capture

// MARK: - Packet counts and data size equal capinfos on the shared corpus of real captures

@Suite struct CaptureCorpusTests {
    static let corpus = "/work/shared/corpus/captures"

    @Test func countsEqualCapinfosOnTheCorpus() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: Self.corpus), !names.isEmpty else {
            print("skipped: no corpus at \(Self.corpus)")
            return
        }
        guard CapinfosFacts.available else {
            print("skipped: capinfos not installed")
            return
        }
        var compared = 0
        for name in names.sorted() {
            let path = Self.corpus + "/" + name
            guard let facts = CapinfosFacts.of(path) else { continue }  // capinfos itself reports damage
            do {
                let info = try CaptureFile(path: path).readAll()
                if info.warnings.isEmpty {
                    #expect(info.packets == facts.packets, "\(name)")
                    #expect(info.bytes == facts.dataSize, "\(name)")
                    compared += 1
                } else {
                    // Files libpcap 1.10 cannot read whole (several link types in one pcapng) must
                    // say so; they are counted only up to where libpcap stopped.
                    #expect(info.packets <= facts.packets, "\(name)")
                    print("note: \(info.warningMessages.joined(separator: "; "))")
                }
            } catch {
                Issue.record("\(name): \(error.message)")
            }
        }
        #expect(compared > 100)
        print("compared \(compared) corpus captures with capinfos")
    }
}
