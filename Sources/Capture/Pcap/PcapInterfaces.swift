// pcap_findalldevs wrapped once: the interfaces libpcap can capture on.

import CPcap

#if canImport(Glibc)
import Glibc
#endif

enum PcapInterfaces {
    /// `pcap_findalldevs` + `pcap_freealldevs`, copied into values. Returns libpcap's message on failure.
    static func list() -> Result<[NetworkInterface], PcapMessage> {
        var first: UnsafeMutablePointer<pcap_if_t>?
        let outcome: Result<Bool, PcapMessage> = withErrorBuffer { errbuf in
            pcap_findalldevs(&first, errbuf) == 0 ? true : nil
        }
        if case .failure(let message) = outcome { return .failure(message) }
        defer { if let first { pcap_freealldevs(first) } }

        var interfaces: [NetworkInterface] = []
        var cursor = first
        while let device = cursor {
            let flags = device.pointee.flags
            interfaces.append(NetworkInterface(
                name: String(cString: device.pointee.name),
                description: device.pointee.description.map { String(cString: $0) },
                addresses: addresses(device.pointee.addresses),
                isUp: flags & UInt32(PCAP_IF_UP) != 0,
                isRunning: flags & UInt32(PCAP_IF_RUNNING) != 0,
                isLoopback: flags & UInt32(PCAP_IF_LOOPBACK) != 0))
            cursor = device.pointee.next
        }
        return .success(interfaces)
    }

    /// IPv4 and IPv6 addresses of one device, as text (inet_ntop).
    private static func addresses(_ list: UnsafeMutablePointer<pcap_addr>?) -> [String] {
        var result: [String] = []
        var cursor = list
        while let entry = cursor {
            cursor = entry.pointee.next
            guard let address = entry.pointee.addr else { continue }
            if let text = numericHost(address) { result.append(text) }
        }
        return result
    }

    /// `inet_ntop` for AF_INET and AF_INET6 socket addresses; nil for other families.
    private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN) + 1) { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            let family = Int32(address.pointee.sa_family)
            let converted: UnsafePointer<CChar>?
            switch family {
            case AF_INET:
                converted = UnsafeMutableRawPointer(address).withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    withUnsafePointer(to: &v4.pointee.sin_addr) { inet_ntop(AF_INET, $0, base, socklen_t(buffer.count)) }
                }
            case AF_INET6:
                converted = UnsafeMutableRawPointer(address).withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    withUnsafePointer(to: &v6.pointee.sin6_addr) { inet_ntop(AF_INET6, $0, base, socklen_t(buffer.count)) }
                }
            default:
                return nil
            }
            return converted.map { String(cString: $0) }
        }
    }
}
