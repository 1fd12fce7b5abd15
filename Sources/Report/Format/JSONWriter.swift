// MARK: - A small JSON writer
//
// Keys keep the order they are written in (the schema documents that order), strings are escaped per
// RFC 8259 §7 (quote, backslash and every control character; non-ASCII stays UTF-8), integers print as
// integers and milliseconds with at most three decimals. Output is pretty-printed with two spaces.

indirect enum JSONValue {
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
    static func serialize(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        out += "\n"
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let n): out += n
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    write(item, indent: indent, into: &out)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += spaces(indent + 1)
                write(item, indent: indent + 1, into: &out)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += spaces(indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, member)) in members.enumerated() {
                out += spaces(indent + 1)
                writeString(key, into: &out)
                out += ": "
                write(member, indent: indent + 1, into: &out)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += spaces(indent) + "}"
        }
    }

    /// RFC 8259 §7 string escaping.
    static func writeString(_ s: String, into out: inout String) {
        // Fast path: printable ASCII without quote or backslash needs no escaping.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func spaces(_ n: Int) -> String { String(repeating: "  ", count: n) }
}

private extension JSONValue {
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
