// MARK: - Tunnels of PacketDecoder: IP-in-IP, GRE, GTP-U

extension PacketDecoder {
    /// Decodes the inner IP packet that `located` (a tunnel header's reading of `bytes`) points to.
    /// `addresses` are those of the IP header the tunnel runs in; the outermost ones become the
    /// packet's `tunnel`. Counts a tunnel deeper than `limits.maxTunnelDepth` as malformed, a tunnel
    /// payload that is not IP as `otherTransport`.
    mutating func decodeTunnelled(_ located: LinkLayerResult, _ bytes: UnsafeRawBufferPointer, bytesWereCut: Bool,
                                  addresses: IPAddresses, depth: Int, frame: inout FrameContext) -> Bool {
        switch located {
        case .network(let inner, let offset):
            guard depth < limits.maxTunnelDepth else {
                anomalies.malformed &+= 1
                return false
            }
            guard offset >= 0, offset <= bytes.count else {
                count(.truncated(needed: offset, available: bytes.count), bytesWereCut: bytesWereCut, frame: &frame)
                return false
            }
            if frame.tunnel == nil {
                frame.tunnel = TunnelEndpoints(source: addresses.source, destination: addresses.destination)
            }
            let innerBytes = UnsafeRawBufferPointer(rebasing: bytes[offset...])  // checked above
            return decodeIP(inner, innerBytes, bytesWereCut: bytesWereCut, depth: depth &+ 1, frame: &frame)
        case .invalid(let error):
            count(error, bytesWereCut: bytesWereCut, frame: &frame)
            return false
        case .notIP, .unsupportedLinkType:
            anomalies.otherTransport &+= 1
            return false
        }
    }
}
