// MARK: - Escaping of text taken from the capture
//
// Names, SNI, CONNECT targets and CNAME targets come from the wire and may hold anything. Each output
// format escapes them its own way; literal report text is authored and needs only the format's basics.

enum Escape {
    /// Control characters (C0, DEL, C1) as visible `\xNN` / `\u{NNNN}` sequences; everything else kept.
    /// Used for every format so that an escape sequence in a name can never reach a terminal or a page.
    static func controls(_ text: String) -> String {
        // Fast path: printable ASCII, the common case for names and addresses.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F {
                out += "\\x" + hex2(v)
            } else if (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v)
                        || (0x2066...0x2069).contains(v) {
                // C1 controls, line/paragraph separators and bidi overrides would reorder or break lines.
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Text for a terminal: controls made visible.
    static func terminal(_ text: String) -> String { controls(text) }

    /// HTML text or attribute value: `& < > " '` as entities, controls made visible.
    static func html(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) {
            return text
        }
        var out = ""
        for ch in controls(text) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Markdown inline text (also safe in a table cell): backslash-escapes the characters that start
    /// markup (`\ | ` * _ [ ] < > # ! ~ &`), controls made visible.
    static func markdown(_ text: String) -> String {
        var out = ""
        for ch in controls(text) {
            switch ch {
            case "\\", "|", "`", "*", "_", "[", "]", "<", ">", "#", "!", "~", "&", "{", "}":
                out.append("\\")
                out.append(ch)
            default:
                out.append(ch)
            }
        }
        return out
    }

    /// A Markdown code span holding `text` literally: the fence is one backtick longer than the longest
    /// backtick run inside (CommonMark §6.1). Pipes are escaped so the span is safe in a table cell.
    static func markdownCode(_ text: String) -> String {
        let body = controls(text)
        var longest = 0, run = 0
        for ch in body {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = (body.hasPrefix("`") || body.hasSuffix("`")) ? " \(body) " : body
        return fence + padded.replacingPipes() + fence
    }

    /// A Wireshark display-filter string literal: `"` and `\` backslash-escaped, controls as `\xNN`.
    static func displayFilterString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex2(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Bytes from the wire as text: UTF-8 where valid, each invalid byte as `\xNN`.
    static func wireBytes(_ bytes: [UInt8]) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        return bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + hex2(UInt32($0)) }.joined()
    }

    private static func hex2(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: false)
        return s.count < 2 ? "0" + s : s
    }
}

private extension String {
    /// In a GFM table a pipe ends the cell even inside a code span unless backslash-escaped.
    func replacingPipes() -> String {
        var out = ""
        for ch in self { if ch == "|" { out += "\\|" } else { out.append(ch) } }
        return out
    }
}
