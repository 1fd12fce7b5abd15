import ArgumentParser
import Capture
import Foundation

/// `ssmpath interfaces`: the interfaces libpcap can capture on.
struct Interfaces: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the network interfaces available for `ssmpath live`.")

    func run() throws {
        let interfaces: [NetworkInterface]
        do {
            interfaces = try LiveCapture.interfaces()
        } catch {
            throw CommandFailure(message: "ssmpath: " + error.message)
        }
        var out = ""
        for interface in interfaces {
            var flags: [String] = []
            flags.append(interface.isUp ? "up" : "down")
            if interface.isRunning { flags.append("running") }
            if interface.isLoopback { flags.append("loopback") }
            out += interface.name + "  [" + flags.joined(separator: ", ") + "]"
            if !interface.addresses.isEmpty { out += "  " + interface.addresses.joined(separator: " ") }
            if let description = interface.description, !description.isEmpty { out += "  (" + description + ")" }
            out += "\n"
        }
        if interfaces.isEmpty {
            out = "No interfaces found; capturing usually needs root or `setcap cap_net_raw,cap_net_admin=eip` on the binary.\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
