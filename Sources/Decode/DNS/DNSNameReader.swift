// DNS name decompression (RFC 1035 §3.1, §4.1.4), in a loop rather than recursion, in the spirit of
// Suricata's rust/src/dns/parser.rs: bounded length, bounded labels, pointers only strictly backwards.

// MARK: - Limits

enum DNSNameLimits {
    /// Longest name on the wire, length octets and the root included (RFC 1035 §2.3.4).
    static let maxWireLength = 255
    /// Most labels kept; a 255-byte wire name holds at most 127 labels plus the root.
    static let maxLabels = 128
    /// Most compression pointers followed in one name. Each must point before the previous one, so
    /// this is a belt on top of braces.
    static let maxPointerJumps = 64
}

// MARK: - Result

/// A name read from a message: its presentation form, where the name ends in the record stream,
/// and what was wrong with it.
struct DNSNameRead {
    var name: DNSName
    /// Offset just past the name where it was written (past the first pointer, if any).
    var end: Int
    var anomalies: DNSAnomalies
}

// MARK: - Reader

enum DNSNameReader {
    /// Reads the name starting at `start` in `message`. Returns nil when the name runs past the end
    /// of the message before its end could be found; otherwise the name (cut short and flagged when
    /// it is too long or a pointer is bad).
    static func read(_ message: UnsafeRawBufferPointer, at start: Int) -> DNSNameRead? {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        var anomalies: DNSAnomalies = []
        var position = start
        /// Start of the stretch of labels being read; a pointer must point strictly before it.
        var segmentStart = start
        /// Offset after the name in the record stream, fixed at the first pointer.
        var endInRecord: Int? = nil
        var wireLength = 1 // the root label's length octet
        var labelCount = 0
        var jumps = 0
        /// Once the name is cut (too long, bad label), labels are still walked, unrecorded, to find
        /// where it ends in the record; a bad pointer ends the walk at once.
        var recording = true

        while true {
            guard position >= 0, position < message.count else { return nil }
            let lengthOctet = message[position] // checked above
            switch lengthOctet & 0xC0 {
            case 0x00 where lengthOctet == 0:
                return DNSNameRead(name: DNSName(bytes: text), end: endInRecord ?? (position &+ 1),
                                   anomalies: anomalies)
            case 0x00:
                let labelLength = Int(lengthOctet)
                let labelStart = position &+ 1
                guard labelStart &+ labelLength <= message.count else { return nil }
                if recording {
                    wireLength &+= labelLength &+ 1
                    labelCount &+= 1
                    if wireLength > DNSNameLimits.maxWireLength || labelCount > DNSNameLimits.maxLabels {
                        anomalies.insert(.nameTooLong)
                        recording = false
                    } else {
                        appendLabel(message, from: labelStart, count: labelLength, to: &text)
                    }
                }
                position = labelStart &+ labelLength
            case 0xC0:
                // Compression pointer: 14-bit offset from the start of the message.
                guard position &+ 1 < message.count else { return nil }
                let target = Int(lengthOctet & 0x3F) << 8 | Int(message[position &+ 1]) // checked above
                if endInRecord == nil { endInRecord = position &+ 2 }
                jumps &+= 1
                guard target < segmentStart, jumps <= DNSNameLimits.maxPointerJumps else {
                    anomalies.insert(.badPointer)
                    return DNSNameRead(name: DNSName(bytes: text), end: endInRecord ?? (position &+ 2),
                                       anomalies: anomalies)
                }
                if !recording {
                    // The name is already cut and its end in the record is now known.
                    return DNSNameRead(name: DNSName(bytes: text), end: endInRecord ?? (position &+ 2),
                                       anomalies: anomalies)
                }
                position = target
                segmentStart = target
            default:
                // 0x40 and 0x80: extended label types (RFC 6891 §5), obsolete; the name cannot go on.
                anomalies.insert(.badLabelType)
                if let endInRecord {
                    return DNSNameRead(name: DNSName(bytes: text), end: endInRecord, anomalies: anomalies)
                }
                // Without a pointer seen, where the name ends in the record is unknowable.
                return nil
            }
        }
    }

    // MARK: - Presentation form

    /// Appends one label in presentation form: a separating dot, ASCII lower-cased, '.' and '\'
    /// escaped with a backslash, bytes outside 0x21...0x7E as `\DDD` (RFC 1035 §5.1, RFC 4343).
    private static func appendLabel(_ message: UnsafeRawBufferPointer, from start: Int, count: Int,
                                    to text: inout [UInt8]) {
        if !text.isEmpty { text.append(UInt8(ascii: ".")) }
        for index in start..<(start &+ count) {
            let byte = message[index] // the caller checked start + count <= message.count
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                text.append(byte | 0x20)
            case UInt8(ascii: "."), UInt8(ascii: "\\"):
                text.append(UInt8(ascii: "\\"))
                text.append(byte)
            case 0x21...0x7E:
                text.append(byte)
            default:
                text.append(UInt8(ascii: "\\"))
                text.append(UInt8(ascii: "0") &+ byte / 100)
                text.append(UInt8(ascii: "0") &+ (byte / 10) % 10)
                text.append(UInt8(ascii: "0") &+ byte % 10)
            }
        }
    }
}
