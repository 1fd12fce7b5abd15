// DNS over TCP framing (RFC 1035 §4.2.2, RFC 7766 §8): each message is preceded by a two-byte length.

/// Splits an in-order TCP byte stream into DNS messages using the 2-byte length prefix.
///
/// Feed it each chunk of the stream in order. Messages lying wholly inside one chunk are handed out
/// as views into that chunk (no copy); a message spread over chunks is gathered in the framer's own
/// buffer, which never holds more than `capacity` bytes (65,537 by default: the largest length
/// prefix plus its message).
///
/// ```swift
/// var framer = DNSTCPFramer()              // one per direction of a DNS-over-TCP flow
/// framer.feed(segmentPayload) { message in // called once per complete message, in order
///     if let parsed = try? DNSParser.parse(message) { ... }
/// }
/// ```
public struct DNSTCPFramer: Sendable {
    /// What the stream looks like after a feed.
    public enum State: Hashable, Sendable {
        /// Every message so far was handed out; any partial one is buffered and waits for more bytes.
        case needMoreBytes
        /// A length prefix cannot start a DNS message (shorter than the 12-byte header) or the message
        /// would not fit the buffer. The framer stops; later feeds do nothing.
        case garbage
    }

    /// Bytes of the 2-byte prefix plus the largest message it can announce.
    public static let defaultCapacity = 65_537
    private static let prefixLength = 2
    private static let minimumMessageLength = 12

    public let capacity: Int
    public private(set) var state: State = .needMoreBytes
    /// Messages handed out so far.
    public private(set) var messageCount: Int = 0
    /// Bytes of an incomplete message (its prefix included) held in the buffer.
    public var bufferedByteCount: Int { pending.count }

    /// The bytes of the current incomplete message, its length prefix first.
    private var pending: [UInt8] = []

    public init(capacity: Int = DNSTCPFramer.defaultCapacity) {
        self.capacity = max(capacity, Self.prefixLength &+ Self.minimumMessageLength)
    }

    /// Feeds the next in-order stream bytes and calls `onMessage` with each message completed by them,
    /// without its length prefix. The view is valid only during the call. Returns the state after
    /// the chunk: `.needMoreBytes` on short input, `.garbage` once a prefix is impossible.
    @discardableResult
    public mutating func feed<E: Error>(
        _ chunk: UnsafeRawBufferPointer,
        onMessage: (UnsafeRawBufferPointer) throws(E) -> Void
    ) throws(E) -> State {
        guard state == .needMoreBytes else { return state }
        var offset = 0
        // MARK: Finish a message begun in an earlier chunk
        if !pending.isEmpty {
            if pending.count < Self.prefixLength {
                guard offset < chunk.count else { return state }
                pending.append(chunk[offset]) // checked above
                offset &+= 1
                guard validate(prefixLength: pendingMessageLength()) else { return state }
                pending.reserveCapacity(Self.prefixLength &+ pendingMessageLength())
            }
            let total = Self.prefixLength &+ pendingMessageLength()
            let wanted = min(total &- pending.count, chunk.count &- offset)
            if wanted > 0 {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[offset..<(offset &+ wanted)]))
                offset &+= wanted
            }
            guard pending.count == total else { return state }
            messageCount &+= 1
            let delivered: Result<Void, E> = pending.withUnsafeBytes { all in
                do throws(E) {
                    try onMessage(UnsafeRawBufferPointer(rebasing: all[Self.prefixLength...]))
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            try delivered.get()
            pending.removeAll(keepingCapacity: true)
        }
        // MARK: Messages wholly inside this chunk: views, no copy
        while chunk.count &- offset >= Self.prefixLength {
            let length = Int(chunk.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian) // checked above
            guard validate(prefixLength: length) else { return state }
            let start = offset &+ Self.prefixLength
            let end = start &+ length
            guard end <= chunk.count else { break }
            messageCount &+= 1
            try onMessage(UnsafeRawBufferPointer(rebasing: chunk[start..<end]))
            offset = end
        }
        // MARK: Keep the start of the next message
        if offset < chunk.count {
            let rest = UnsafeRawBufferPointer(rebasing: chunk[offset...])
            if rest.count >= Self.prefixLength {
                // The length is known (and was validated above): reserve the whole message once.
                pending.reserveCapacity(Self.prefixLength &+ (Int(rest[0]) << 8 | Int(rest[1])))
            }
            pending.append(contentsOf: rest)
        }
        return state
    }

    /// Length announced by the prefix held in `pending` (0 until both prefix bytes are there).
    private func pendingMessageLength() -> Int {
        guard pending.count >= Self.prefixLength else { return 0 }
        return Int(pending[0]) << 8 | Int(pending[1]) // checked above
    }

    /// Checks a length prefix, and turns the framer to `.garbage` when it cannot be a message.
    private mutating func validate(prefixLength length: Int) -> Bool {
        guard length >= Self.minimumMessageLength, Self.prefixLength &+ length <= capacity else {
            state = .garbage
            pending = []
            return false
        }
        return true
    }
}
