// MARK: - IPv4 / IPv6 layer of PacketDecoder

extension PacketDecoder {
    /// Decodes an IP packet (outer, or the inner one of a tunnel at `depth` > 0).
    /// `bytesWereCut`: the bytes given are fewer than the layer below claimed (snaplen). True when TCP
    /// or UDP was found (its fields are in `frame`); false when the reason was counted.
    @inline(__always)  // the per-frame path as one function
    mutating func decodeIP(_ networkProtocol: NetworkProtocol, _ bytes: UnsafeRawBufferPointer,
                           bytesWereCut: Bool, depth: Int, frame: inout FrameContext) -> Bool {
        switch networkProtocol {
        case .ipv4: decodeIPv4(bytes, bytesWereCut: bytesWereCut, depth: depth, frame: &frame)
        case .ipv6: decodeIPv6(bytes, bytesWereCut: bytesWereCut, depth: depth, frame: &frame)
        }
    }

    @inline(__always)  // the per-frame path as one function
    private mutating func decodeIPv4(_ bytes: UnsafeRawBufferPointer, bytesWereCut: Bool, depth: Int,
                                     frame: inout FrameContext) -> Bool {
        let header: IPv4Header
        do {
            header = try IPv4Header(bytes)
        } catch {
            count(error, bytesWereCut: bytesWereCut, frame: &frame)
            return false
        }
        if header.isTruncated { frame.truncated = true }
        let addresses = IPAddresses(source: header.source, destination: header.destination)
        if header.isFragment {
            // A fragment cut by the snaplen cannot be reassembled.
            guard !header.isTruncated else { return false }
            let info = FragmentInfo(offset: header.fragmentOffset, moreFragments: header.moreFragments,
                                    identification: UInt32(header.identification),
                                    protocolNumber: header.protocolNumber)
            return reassemble(header.payload, info: info, addresses: addresses, isIPv6: false, depth: depth,
                              frame: &frame)
        }
        return decodeUpperLayer(header.protocolNumber, header.payload, claimedLength: header.claimedPayloadLength,
                                addresses: addresses, depth: depth, frame: &frame)
    }

    @inline(__always)  // the per-frame path as one function
    private mutating func decodeIPv6(_ bytes: UnsafeRawBufferPointer, bytesWereCut: Bool, depth: Int,
                                     frame: inout FrameContext) -> Bool {
        let header: IPv6Header
        do {
            header = try IPv6Header(bytes)
        } catch {
            count(error, bytesWereCut: bytesWereCut, frame: &frame)
            return false
        }
        if header.isTruncated { frame.truncated = true }
        let addresses = IPAddresses(source: header.source, destination: header.destination)
        let payload = header.payload
        let chainEnd: IPv6ChainEnd
        do {
            chainEnd = try IPv6ExtensionChain.walk(payload, claimedLength: header.claimedPayloadLength,
                                                   nextHeader: header.nextHeader)
        } catch {
            count(error, bytesWereCut: true, frame: &frame)  // within the claimed length: a cut
            return false
        }
        switch chainEnd {
        case .upperLayer(let protocolNumber, let offset):
            let upper = UnsafeRawBufferPointer(rebasing: payload[offset...])  // walk checked offset <= count
            return decodeUpperLayer(protocolNumber, upper, claimedLength: header.claimedPayloadLength &- offset,
                                    addresses: addresses, depth: depth, frame: &frame)
        case .fragment(let info, let dataOffset):
            guard !header.isTruncated else { return false }
            let data = UnsafeRawBufferPointer(rebasing: payload[dataOffset...])  // walk checked dataOffset <= count
            return reassemble(data, info: info, addresses: addresses, isIPv6: true, depth: depth, frame: &frame)
        }
    }

    // MARK: - Fragments

    private mutating func reassemble(_ data: UnsafeRawBufferPointer, info: FragmentInfo, addresses: IPAddresses,
                                     isIPv6: Bool, depth: Int, frame: inout FrameContext) -> Bool {
        if !isKnownUniquelyReferenced(&reassembler) { reassembler = reassembler.copy() }
        let key = FragmentKey(source: addresses.source, destination: addresses.destination,
                              identification: info.identification, protocolNumber: info.protocolNumber)
        let result = reassembler.add(data, info: info, key: key, at: frame.timestamp)
        anomalies.fragmentsDropped &+= Int64(result.datagramsDropped)
        if result.overlapped { anomalies.fragmentsOverlapping &+= 1 }
        switch result.outcome {
        case .held:
            anomalies.fragmentsHeld &+= 1
            return false
        case .dropped(let inconsistent):
            if inconsistent { anomalies.malformed &+= 1 }
            return false
        case .complete(let datagram):
            anomalies.fragmentsReassembled &+= 1
            guard isIPv6 else {
                return decodeUpperLayer(info.protocolNumber, datagram, claimedLength: datagram.count,
                                        addresses: addresses, depth: depth, frame: &frame)
            }
            // The fragmentable part may start with more extension headers (RFC 8200 §4.5).
            do {
                switch try IPv6ExtensionChain.walk(datagram, claimedLength: datagram.count,
                                                   nextHeader: info.protocolNumber) {
                case .upperLayer(let protocolNumber, let offset):
                    let upper = UnsafeRawBufferPointer(rebasing: datagram[offset...])  // walk checked offset
                    return decodeUpperLayer(protocolNumber, upper, claimedLength: upper.count,
                                            addresses: addresses, depth: depth, frame: &frame)
                case .fragment:
                    anomalies.malformed &+= 1  // a fragment header inside a reassembled datagram
                    return false
                }
            } catch {
                count(error, bytesWereCut: false, frame: &frame)
                return false
            }
        }
    }
}

/// Source and destination of the IP header being decoded.
struct IPAddresses {
    var source: IPAddress
    var destination: IPAddress
}
