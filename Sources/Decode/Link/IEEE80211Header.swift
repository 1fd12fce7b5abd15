// MARK: - IEEE 802.11 data frames (DLT_IEEE802_11 105, DLT_IEEE802_11_RADIO 127)

/// Link types of Wi-Fi monitor-mode captures, which Capture's `LinkType` does not name.
public enum WirelessLinkType {
    /// Bare 802.11 frames (DLT_IEEE802_11).
    public static let ieee80211: Int32 = 105
    /// 802.11 frames behind a radiotap header (DLT_IEEE802_11_RADIO).
    public static let radiotap: Int32 = 127
}

/// An 802.11 MAC header (IEEE 802.11-2020 §9.2.4) followed by LLC/SNAP (RFC 1042, 802.1H). Only
/// unprotected, unfragmented data frames carry a readable IP packet; everything else (management,
/// control, null data, encrypted, fragments, A-MSDU) is `.notIP`.
public enum IEEE80211Header {
    /// Frame control(2) duration(2) address 1-3 (18) sequence control(2).
    public static let baseLength = 24
    /// LLC (DSAP 0xAA, SSAP 0xAA, control 0x03) + SNAP OUI (3) + EtherType (2).
    public static let snapLength = 8

    /// Reads the 802.11 header at `offset`. `paddedToFourBytes`: radiotap's "data pad" flag, the
    /// MAC header is padded to a 32-bit boundary. Returns where IP starts, `.notIP` for frames
    /// carrying no readable IP, `.invalid(.truncated)` when the bytes end inside the headers.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0,
                                          paddedToFourBytes: Bool = false) -> LinkLayerResult {
        guard offset >= 0, bytes.count >= baseLength, offset <= bytes.count &- baseLength else {
            return .invalid(.truncated(needed: offset &+ baseLength, available: bytes.count))
        }
        let control = bytes[offset]            // protocol version(2 bits) type(2) subtype(4); checked above
        let flags = bytes[offset &+ 1]         // To DS, From DS, More Fragments, ..., Protected, +HTC/Order
        let isData = control & 0x0C == 0x08
        guard control & 0x03 == 0, isData else { return .notIP }
        let subtype = control >> 4
        // Null / CF frames without data (subtype bit 2), protected or fragmented frames.
        guard subtype & 0x04 == 0, flags & 0x40 == 0, flags & 0x04 == 0 else { return .notIP }
        guard bytes[offset &+ 22] & 0x0F == 0 else { return .notIP }  // fragment number; checked above
        var length = baseLength
        if flags & 0x03 == 0x03 { length &+= 6 }              // address 4 (To DS and From DS)
        let isQoS = subtype & 0x08 != 0
        let qosOffset = offset &+ length
        if isQoS { length &+= 2 }                              // QoS control
        if isQoS, flags & 0x80 != 0 { length &+= 4 }           // HT control (+HTC)
        if paddedToFourBytes { length = (length &+ 3) & ~3 }
        let snapStart = offset &+ length
        let snapEnd = snapStart &+ snapLength
        guard snapEnd <= bytes.count else { return .invalid(.truncated(needed: snapEnd, available: bytes.count)) }
        if isQoS, bytes[qosOffset] & 0x80 != 0 {               // checked above: qosOffset < snapStart
            return .notIP                                      // A-MSDU present (QoS control bit 7)
        }
        // checked above: snapEnd <= count
        guard bytes[snapStart] == 0xAA, bytes[snapStart &+ 1] == 0xAA, bytes[snapStart &+ 2] == 0x03,
              bytes[snapStart &+ 3] == 0, bytes[snapStart &+ 4] == 0,
              bytes[snapStart &+ 5] == 0 || bytes[snapStart &+ 5] == 0xF8 else { return .notIP }
        let etherType = bytes.loadUnaligned(fromByteOffset: snapEnd &- 2, as: UInt16.self).bigEndian
        return LinkLayer.payloadResult(bytes, etherType: etherType, offset: snapEnd)
    }
}

// MARK: - Radiotap (radiotap.org)

/// The radiotap header monitor-mode captures put before each 802.11 frame: version(1) = 0, pad(1),
/// length(2, little-endian), present bitmaps(4 each, bit 31 = another follows), then fields.
public enum RadiotapHeader {
    public static let minimumLength = 8
    /// Present bitmaps followed at most.
    public static let maxPresentWords = 8

    /// Skips the radiotap header and reads the 802.11 frame after it, honouring the Flags field's
    /// "data pad" bit. Returns as `IEEE80211Header.locateNetworkLayer`.
    @inlinable
    public static func locateNetworkLayer(_ bytes: UnsafeRawBufferPointer) -> LinkLayerResult {
        guard bytes.count >= minimumLength else {
            return .invalid(.truncated(needed: minimumLength, available: bytes.count))
        }
        guard bytes[0] == 0 else { return .notIP }                                          // it_version; checked above
        let length = Int(bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self).littleEndian)  // it_len; checked above
        guard length >= minimumLength else { return .invalid(.malformed(.linkHeaderShort)) }
        guard length <= bytes.count else { return .invalid(.truncated(needed: length, available: bytes.count)) }
        let present = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian      // checked above
        // Fields start after the last present word.
        var fieldOffset = 8
        var word = present
        var words = 1
        while word & 0x8000_0000 != 0 {
            words &+= 1
            guard words <= maxPresentWords, fieldOffset &+ 4 <= length else { return .invalid(.malformed(.linkHeaderShort)) }
            word = bytes.loadUnaligned(fromByteOffset: fieldOffset, as: UInt32.self).littleEndian  // checked above
            fieldOffset &+= 4
        }
        var dataPad = false
        if present & 0x02 != 0 {                   // Flags (field 1), after TSFT (field 0, 8 bytes, 8-aligned)
            if present & 0x01 != 0 { fieldOffset = (fieldOffset &+ 7) & ~7 &+ 8 }
            guard fieldOffset < length else { return .invalid(.malformed(.linkHeaderShort)) }
            dataPad = bytes[fieldOffset] & 0x20 != 0  // checked above: fieldOffset < length <= count
        }
        return IEEE80211Header.locateNetworkLayer(bytes, at: length, paddedToFourBytes: dataPad)
    }
}
