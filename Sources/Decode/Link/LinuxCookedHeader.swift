// MARK: - Linux cooked captures (tcpdump -i any)

/// Linux cooked capture v1 (DLT_LINUX_SLL, 113), 16 bytes:
/// packet type (2), ARPHRD type (2), address length (2), address (8), protocol type (2).
public enum LinuxCookedHeader {
    /// Offset of the protocol type, an EtherType for ordinary devices.
    public static let protocolOffset = 14
    public static let length = 16

    /// Returns where IP starts; `.invalid(.truncated)` when the frame ends inside the header.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer) -> LinkLayerResult {
        guard bytes.count >= length else { return .invalid(.truncated(needed: length, available: bytes.count)) }
        return VLANTags.resolve(bytes, etherTypeOffset: protocolOffset)
    }
}

/// Linux cooked capture v2 (DLT_LINUX_SLL2, 276), 20 bytes:
/// protocol type (2), reserved (2), interface index (4), ARPHRD type (2), packet type (1),
/// address length (1), address (8).
public enum LinuxCooked2Header {
    /// Offset of the protocol type, an EtherType for ordinary devices.
    public static let protocolOffset = 0
    public static let length = 20

    /// Returns where IP starts; `.invalid(.truncated)` when the frame ends inside the header.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer) -> LinkLayerResult {
        guard bytes.count >= length else { return .invalid(.truncated(needed: length, available: bytes.count)) }
        let protocolType = bytes.loadUnaligned(fromByteOffset: protocolOffset, as: UInt16.self).bigEndian  // checked above
        if EtherType.isVLANTag(protocolType) {
            // Tags (if libpcap left any in the data) follow the header: TCI (2) + EtherType (2) each.
            return VLANTags.resolve(bytes, etherTypeOffset: length &+ 2, tagsSeen: 1)
        }
        return LinkLayer.payloadResult(bytes, etherType: protocolType, offset: length)
    }
}
