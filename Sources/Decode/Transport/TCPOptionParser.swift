// MARK: - TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018)

/// TCP option kinds ssmpath reads.
public enum TCPOptionKind {
    public static let endOfList: UInt8 = 0
    public static let noOperation: UInt8 = 1
    public static let maximumSegmentSize: UInt8 = 2
    public static let windowScale: UInt8 = 3
    public static let sackPermitted: UInt8 = 4
    public static let sack: UInt8 = 5
    public static let timestamps: UInt8 = 8
}

/// Parses the options area of a TCP header into inline storage.
public enum TCPOptionParser {
    /// Returns the options read before the end of the list, and `malformed: true` when an option's length
    /// byte is missing, below 2, past the options area, or wrong for its kind (parsing stops there, the
    /// options read before it are kept). Unknown kinds with a valid length are skipped.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> (options: TCPOptions, malformed: Bool) {
        var options = TCPOptions()
        // The options of nearly every segment after the handshake: NOP, NOP, timestamps (RFC 7323
        // Appendix A layout); read straight off, with the same result the loop below gives.
        if bytes.count == 12, bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self).bigEndian == 0x0101_080A {
            options.timestampValue = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian
            options.timestampEcho = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian
            return (options, false)
        }
        var offset = 0
        let end = bytes.count
        while offset < end {
            let kind = bytes[offset]  // offset < end
            if kind == TCPOptionKind.endOfList { break }
            if kind == TCPOptionKind.noOperation { offset &+= 1; continue }
            guard offset &+ 1 < end else { return (options, true) }
            let length = Int(bytes[offset &+ 1])  // checked above
            guard length >= 2, length <= end &- offset else { return (options, true) }
            let value = offset &+ 2  // value bytes: value ..< offset + length, within bytes
            switch kind {
            case TCPOptionKind.maximumSegmentSize:
                guard length == 4 else { return (options, true) }
                options.mss = bytes.loadUnaligned(fromByteOffset: value, as: UInt16.self).bigEndian
            case TCPOptionKind.windowScale:
                guard length == 3 else { return (options, true) }
                options.windowScale = bytes[value]
            case TCPOptionKind.sackPermitted:
                guard length == 2 else { return (options, true) }
                options.sackPermitted = true
            case TCPOptionKind.sack:
                let blockBytes = length &- 2
                guard blockBytes >= 8, blockBytes % 8 == 0 else { return (options, true) }
                options.sackBlockCount = UInt8(truncatingIfNeeded: min(blockBytes / 8, 4))
            case TCPOptionKind.timestamps:
                guard length == 10 else { return (options, true) }
                options.timestampValue = bytes.loadUnaligned(fromByteOffset: value, as: UInt32.self).bigEndian
                options.timestampEcho = bytes.loadUnaligned(fromByteOffset: value &+ 4, as: UInt32.self).bigEndian
            default:
                break
            }
            offset &+= length
        }
        return (options, false)
    }
}
