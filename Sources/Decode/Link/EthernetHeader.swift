// MARK: - Ethernet II (DLT_EN10MB)

/// Ethernet II: destination MAC (6), source MAC (6), EtherType (2), optionally VLAN tags.
public enum EthernetHeader {
    /// Offset of the EtherType field, after the two MAC addresses.
    public static let etherTypeOffset = 12

    /// Returns where IP starts, `.notIP` for other EtherTypes (including 802.3 length fields),
    /// `.invalid(.truncated)` when the frame ends inside the header or its VLAN tags.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer) -> LinkLayerResult {
        VLANTags.resolve(bytes, etherTypeOffset: etherTypeOffset)
    }
}
