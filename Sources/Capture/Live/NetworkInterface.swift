// An interface that can be captured on, as pcap_findalldevs reports it.

/// An interface libpcap can capture on.
public struct NetworkInterface: Sendable, Hashable {
    /// The name to pass to `LiveCapture` (`eth0`, `ens5`, `lo`, `any`).
    public var name: String
    public var description: String?
    /// IPv4 and IPv6 addresses in text form.
    public var addresses: [String]
    public var isUp: Bool
    public var isRunning: Bool
    public var isLoopback: Bool

    public init(name: String, description: String?, addresses: [String], isUp: Bool, isRunning: Bool, isLoopback: Bool) {
        self.name = name; self.description = description; self.addresses = addresses
        self.isUp = isUp; self.isRunning = isRunning; self.isLoopback = isLoopback
    }
}
