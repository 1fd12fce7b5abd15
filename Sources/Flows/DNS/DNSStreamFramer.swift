// DNS over TCP framing (RFC 1035 §4.2.2, RFC 7766 §8): each message is preceded by a two-byte
// big-endian length. The framer takes in-order stream bytes in any chunking and hands out whole
// messages; messages larger than its bound are skipped and counted.

/// Splits an in-order TCP byte stream into DNS messages. Bounded: at most `maxMessageBytes` held.
struct DNSStreamFramer {
    let maxMessageBytes: Int
    private var lengthBytes: (UInt8, UInt8) = (0, 0)
    private var lengthBytesHeld = 0
    /// Bytes of the current message still to come (0 when reading a length prefix).
    private var remaining = 0
    /// True while the current message is larger than the bound and is being skipped.
    private var skipping = false
    private var message: [UInt8] = []
    /// Messages skipped because they exceeded `maxMessageBytes`, and zero-length prefixes.
    private(set) var oversizedMessages = 0
    private(set) var emptyMessages = 0

    init(maxMessageBytes: Int = 65_535) {
        self.maxMessageBytes = max(0, min(65_535, maxMessageBytes))
    }

    /// True when no partial message or length prefix is pending.
    var isAtMessageBoundary: Bool { lengthBytesHeld == 0 && remaining == 0 }

    /// Feeds the next in-order bytes; `onMessage` gets each complete message (valid during the call).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, onMessage: (UnsafeRawBufferPointer) -> Void) {
        var index = 0
        while index < bytes.count {
            if remaining == 0 {
                // Length prefix: RFC 1035 §4.2.2, uint16 network order.
                if lengthBytesHeld == 0 {
                    lengthBytes.0 = bytes[index]  // index < count
                    lengthBytesHeld = 1
                    index += 1
                    continue
                }
                lengthBytes.1 = bytes[index]  // index < count
                lengthBytesHeld = 0
                index += 1
                let length = Int(lengthBytes.0) << 8 | Int(lengthBytes.1)
                guard length > 0 else {
                    emptyMessages += 1
                    continue
                }
                remaining = length
                skipping = length > maxMessageBytes
                if skipping { oversizedMessages += 1 } else { message.removeAll(keepingCapacity: true) }
                continue
            }
            let take = min(remaining, bytes.count - index)
            if !skipping {
                message.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
            }
            index += take
            remaining -= take
            if remaining == 0 && !skipping {
                message.withUnsafeBytes { onMessage($0) }
                message.removeAll(keepingCapacity: true)
            }
        }
    }
}
