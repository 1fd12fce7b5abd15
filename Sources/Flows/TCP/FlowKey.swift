import Decode

// The 5-tuple key of a bidirectional TCP flow, and the rule that picks the client of a flow seen
// without its SYN.

/// A flow's endpoints in canonical order (lower address/port first), so both directions hash alike.
/// Inline storage: hashing and comparing it allocates nothing.
struct FlowKey: Hashable, Sendable {
    var lowAddress: IPAddress
    var lowPort: UInt16
    var highAddress: IPAddress
    var highPort: UInt16

    /// The key of a packet, and whether its sender is the key's "low" endpoint.
    @inline(__always)
    static func of(source: IPAddress, sourcePort: UInt16, destination: IPAddress, destinationPort: UInt16)
        -> (key: FlowKey, sourceIsLow: Bool) {
        let sourceIsLow: Bool
        if case .v4(let sourceV4) = source, case .v4(let destinationV4) = destination {
            // The derived IPAddress order on two IPv4 addresses, without a call per packet.
            sourceIsLow = sourceV4 < destinationV4 || (sourceV4 == destinationV4 && sourcePort <= destinationPort)
        } else {
            sourceIsLow = source < destination || (source == destination && sourcePort <= destinationPort)
        }
        if sourceIsLow {
            return (FlowKey(lowAddress: source, lowPort: sourcePort, highAddress: destination, highPort: destinationPort), true)
        }
        return (FlowKey(lowAddress: destination, lowPort: destinationPort, highAddress: source, highPort: sourcePort), false)
    }

    /// Ports first: they differ between most flows of one host pair and cost one compare.
    @inline(__always)
    static func == (a: FlowKey, b: FlowKey) -> Bool {
        a.lowPort == b.lowPort && a.highPort == b.highPort && a.lowAddress == b.lowAddress && a.highAddress == b.highAddress
    }

    /// Feeds the hasher whole words (one for an IPv4 pair, one for the ports) instead of field by field.
    @inline(__always)
    func hash(into hasher: inout Hasher) {
        switch (lowAddress, highAddress) {
        case (.v4(let low), .v4(let high)):
            hasher.combine(UInt64(low) << 32 | UInt64(high))
        case (.v6(let lowHigh, let lowLow), .v6(let highHigh, let highLow)):
            hasher.combine(lowHigh); hasher.combine(lowLow); hasher.combine(highHigh); hasher.combine(highLow)
        default:
            hasher.combine(lowAddress); hasher.combine(highAddress)
        }
        hasher.combine(UInt32(lowPort) << 16 | UInt32(highPort))
    }
}

/// Chooses the client of a flow whose first packet is not a SYN.
///
/// Rule, in order:
/// 1. A SYN-ACK's sender is the server.
/// 2. If exactly one port is a well-known service port ssmpath cares about (HTTPS, HTTP, DNS, the
///    usual proxy ports), that side is the server.
/// 3. Otherwise the side with the lower port is the server (services listen on low ports, clients
///    use ephemeral ones).
/// 4. Equal ports: the sender of the first packet seen is the client.
enum MidstreamClientRule {
    /// Ports treated as servers regardless of the other port's value.
    static let servicePorts: Set<UInt16> = [443, 80, 53, 3128, 8080, 8443, 8000, 8888, 1080, 3129, 9443]

    /// True when the sender of the first packet seen should be taken as the client.
    static func senderIsClient(sourcePort: UInt16, destinationPort: UInt16, isSynAck: Bool) -> Bool {
        if isSynAck { return false }
        let sourceIsService = servicePorts.contains(sourcePort)
        let destinationIsService = servicePorts.contains(destinationPort)
        if sourceIsService != destinationIsService { return destinationIsService }
        if sourcePort != destinationPort { return destinationPort < sourcePort }
        return true
    }
}
