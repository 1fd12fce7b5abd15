// MARK: - A small JSON writer
//
// Keys keep the order they are written in (the schema documents that order), strings are escaped per
// RFC 8259 §7 (quote, backslash and every control character; non-ASCII stays UTF-8), integers print as
// integers and milliseconds with at most three decimals. Output is pretty-printed with two spaces.

/// Not `indirect`: nesting already goes through the arrays' storage, and an indirect enum would box
/// every scalar on the heap.
enum JSONValue {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number already formatted as JSON (e.g. milliseconds with up to three decimals).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func int(_ value: Int) -> JSONValue { .int(Int64(value)) }
    static func optionalString(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func optionalInt(_ value: Int?) -> JSONValue { value.map { JSONValue.int(Int64($0)) } ?? .null }
    static func milliseconds(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(TimeText.milliseconds(value))
    }
}

enum JSONWriter {
    /// The document as text, ending in a newline. Written as UTF-8 bytes into one buffer and turned
    /// into a String once (appending to a String piece by piece costs a capacity check, and a
    /// transcoding check, per piece).
    static func serialize(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(value, indent: 0, into: &out)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .null: append("null", to: &out)
        case .bool(let b): append(b ? "true" : "false", to: &out)
        case .int(let i): appendDecimal(i, to: &out)
        case .number(let n): append(n, to: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { append("[]", to: &out); return }
            if items.allSatisfy(\.isScalar) {
                out.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { append(", ", to: &out) }
                    write(item, indent: indent, into: &out)
                }
                out.append(UInt8(ascii: "]"))
                return
            }
            append("[\n", to: &out)
            for (i, item) in items.enumerated() {
                appendSpaces(indent + 1, to: &out)
                write(item, indent: indent + 1, into: &out)
                append(i + 1 < items.count ? ",\n" : "\n", to: &out)
            }
            appendSpaces(indent, to: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { append("{}", to: &out); return }
            append("{\n", to: &out)
            for (i, (key, member)) in members.enumerated() {
                appendSpaces(indent + 1, to: &out)
                writeString(key, into: &out)
                append(": ", to: &out)
                write(member, indent: indent + 1, into: &out)
                append(i + 1 < members.count ? ",\n" : "\n", to: &out)
            }
            appendSpaces(indent, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8259 §7 string escaping.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        var s = s
        // Fast path: printable ASCII without quote or backslash needs no escaping.
        let plain = s.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte >= 0x7F || byte == 0x22 || byte == 0x5C { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if plain { return }
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": append("\\\"", to: &out)
            case "\\": append("\\\\", to: &out)
            case "\n": append("\\n", to: &out)
            case "\r": append("\\r", to: &out)
            case "\t": append("\\t", to: &out)
            case "\u{08}": append("\\b", to: &out)
            case "\u{0C}": append("\\f", to: &out)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    append("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex, to: &out)
                } else {
                    UTF8.encode(scalar) { out.append($0) }
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The same escaping, appended to a String.
    static func writeString(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        writeString(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Bytes

    private static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Two spaces per level.
    private static func appendSpaces(_ levels: Int, to out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(0, levels) &* 2))
    }

    /// `value` in decimal, as `String(value)` writes it.
    private static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for the 20 digits of UInt64.max
        withUnsafeMutableBytes(of: &digits) { buffer in
            var position = buffer.count
            repeat {
                position &-= 1
                buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0 && position > 0
            out.append(contentsOf: buffer[position...])
        }
    }
}

private extension JSONValue {
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
