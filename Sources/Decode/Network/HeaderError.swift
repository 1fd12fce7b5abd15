// MARK: - Why a header view could not be built

/// Why a link, network or transport header view could not be built over some bytes.
///
/// `truncated` means the bytes are a valid prefix and more were needed (a snaplen cut, or a short
/// slice in a test); `malformed` means the bytes can never form a valid header.
public enum HeaderError: Error, Hashable, Sendable {
    /// `needed` bytes were required, only `available` were there.
    case truncated(needed: Int, available: Int)
    /// The header contradicts itself or its protocol.
    case malformed(MalformedHeader)
}

/// The rule a malformed header broke.
public enum MalformedHeader: Hashable, Sendable {
    /// IP version nibble is not the expected 4 or 6.
    case wrongIPVersion
    /// IPv4 IHL below 5 (RFC 791 §3.1).
    case ipv4HeaderLengthBelowMinimum
    /// IPv4 total length smaller than the header length.
    case ipv4TotalLengthBelowHeader
    /// An IPv6 extension header that runs past the packet's payload length.
    case ipv6ExtensionPastPayload
    /// More IPv6 extension headers than the decoder follows.
    case ipv6ExtensionChainTooLong
    /// More stacked VLAN tags than the decoder follows.
    case vlanStackTooDeep
    /// More nested IP-in-IP headers than the decoder follows.
    case tunnelTooDeep
    /// TCP data offset below 5 (RFC 9293 §3.1).
    case tcpDataOffsetBelowMinimum
    /// TCP data offset larger than the segment the IP header claims.
    case tcpDataOffsetPastSegment
    /// UDP length field below 8 (RFC 768).
    case udpLengthBelowHeader
    /// A link-layer header that is shorter than its type's fixed size although the frame was not cut.
    case linkHeaderShort
    /// A fragment that contradicts the datagram's other fragments (length, past the end).
    case inconsistentFragment
}
