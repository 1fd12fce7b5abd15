// MARK: - Transport layer of PacketDecoder

extension PacketDecoder {
    /// Decodes the IP payload `bytes` of protocol `protocolNumber`; `claimedLength` is the payload length
    /// the IP header claims (>= `bytes.count`). True when TCP or UDP was found (its fields are in `frame`).
    @inline(__always)  // the per-frame path as one function
    mutating func decodeUpperLayer(_ protocolNumber: UInt8, _ bytes: UnsafeRawBufferPointer, claimedLength: Int,
                                   addresses: IPAddresses, depth: Int, frame: inout FrameContext) -> Bool {
        switch protocolNumber {
        case IPProtocolNumber.tcp:
            return decodeTCP(bytes, claimedLength: claimedLength, addresses: addresses, frame: &frame)
        case IPProtocolNumber.udp:
            return decodeUDP(bytes, claimedLength: claimedLength, addresses: addresses, depth: depth, frame: &frame)
        case IPProtocolNumber.ipv4, IPProtocolNumber.ipv6:
            let inner: NetworkProtocol = protocolNumber == IPProtocolNumber.ipv4 ? .ipv4 : .ipv6
            return decodeTunnelled(.network(inner, offset: 0), bytes, bytesWereCut: bytes.count < claimedLength,
                                   addresses: addresses, depth: depth, frame: &frame)
        case IPProtocolNumber.gre:
            return decodeTunnelled(GREHeader.locateNetworkLayer(bytes), bytes, bytesWereCut: bytes.count < claimedLength,
                                   addresses: addresses, depth: depth, frame: &frame)
        default:
            anomalies.otherTransport &+= 1
            return false
        }
    }

    @inline(__always)  // the per-frame path as one function
    private mutating func decodeTCP(_ bytes: UnsafeRawBufferPointer, claimedLength: Int, addresses: IPAddresses,
                                    frame: inout FrameContext) -> Bool {
        let header: TCPHeader
        do {
            header = try TCPHeader(bytes)
        } catch {
            // Short: a snaplen cut when the IP header claims enough bytes, else a data offset past the segment.
            if case .truncated(let needed, _) = error {
                count(error, bytesWereCut: needed <= claimedLength, frame: &frame)
            } else {
                count(error, bytesWereCut: false, frame: &frame)
            }
            return false
        }
        let (options, optionsMalformed) = header.options
        if optionsMalformed { anomalies.malformedTCPOptions &+= 1 }
        frame.source = addresses.source
        frame.destination = addresses.destination
        frame.transport = .tcp(header.fields(options: options))
        frame.payload = header.payload
        frame.payloadLength = claimedLength &- header.headerLength
        return true
    }

    @inline(__always)  // the per-frame path as one function
    private mutating func decodeUDP(_ bytes: UnsafeRawBufferPointer, claimedLength: Int, addresses: IPAddresses,
                                    depth: Int, frame: inout FrameContext) -> Bool {
        let header: UDPHeader
        do {
            header = try UDPHeader(bytes)
        } catch {
            if case .truncated(let needed, _) = error {
                count(error, bytesWereCut: needed <= claimedLength, frame: &frame)
            } else {
                count(error, bytesWereCut: false, frame: &frame)
            }
            return false
        }
        // The UDP length bounds the payload; so does the IP header when it claims less.
        let payloadLength = min(header.claimedPayloadLength, claimedLength &- UDPHeader.headerLength)
        var payload = header.payload
        if payload.count > payloadLength { payload = UnsafeRawBufferPointer(rebasing: payload[0..<payloadLength]) }
        if payload.count < payloadLength { frame.truncated = true }
        if header.sourcePort == GTPUHeader.udpPort || header.destinationPort == GTPUHeader.udpPort,
           depth < limits.maxTunnelDepth, case .network(let inner, let offset) = GTPUHeader.locateNetworkLayer(payload) {
            // A G-PDU: the subscriber's packet is what the flows are about. Anything else on the
            // port (signalling, echo) stays an ordinary UDP datagram.
            return decodeTunnelled(.network(inner, offset: offset), payload, bytesWereCut: payload.count < payloadLength,
                                   addresses: addresses, depth: depth, frame: &frame)
        }
        frame.source = addresses.source
        frame.destination = addresses.destination
        frame.transport = .udp(sourcePort: header.sourcePort, destinationPort: header.destinationPort)
        frame.payload = payload
        frame.payloadLength = payloadLength
        return true
    }
}
