// MARK: - Fixed-width layout for the terminal report: display width, wrapping, tables

enum TextLayout {
    /// Columns a scalar takes in a terminal: 2 for East Asian wide and fullwidth ranges, else 1.
    static func width(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        if v == 0x200B || (0x0300...0x036F).contains(v) { return 0 }
        return 1
    }

    static func width(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + width($1) } }

    private static func isWide(_ ch: Character) -> Bool { ch.unicodeScalars.first.map { width($0) == 2 } ?? false }

    /// Splits text into pieces that may be put on separate lines: words (with their trailing space
    /// dropped) and single wide characters (Japanese breaks between any two characters).
    private static func tokens(_ text: String) -> [(text: String, spaceBefore: Bool)] {
        var out: [(String, Bool)] = []
        var current = ""
        var spaceBefore = false
        var pendingSpace = false
        func flush() {
            if !current.isEmpty { out.append((current, spaceBefore)); current = "" }
        }
        for ch in text {
            if ch == " " {
                flush()
                pendingSpace = true
                continue
            }
            if isWide(ch) {
                flush()
                out.append((String(ch), pendingSpace))
                pendingSpace = false
                continue
            }
            if current.isEmpty { spaceBefore = pendingSpace; pendingSpace = false }
            // Closing punctuation after a wide character stays with it.
            current.append(ch)
        }
        flush()
        return out
    }

    /// Wraps `text` to `width` columns; continuation lines start with `indent`. Words longer than a line
    /// are cut. Japanese closing punctuation (、。) never starts a line.
    static func wrap(_ text: String, width: Int, firstIndent: String = "", indent: String = "") -> [String] {
        var lines: [String] = []
        var line = firstIndent
        var lineWidth = self.width(firstIndent)
        var lineHasContent = false
        let all = tokens(text)
        func noBreakBefore(_ t: String) -> Bool { t == "、" || t == "。" || t == ")" || t == "」" || t == "）" }
        for (index, (token, spaceBefore)) in all.enumerated() {
            let sep = (lineHasContent && spaceBefore) ? " " : ""
            var w = self.width(token)
            // Japanese line-breaking rule: closing punctuation never starts a line, so the character before
            // it moves down with it when both do not fit.
            if index + 1 < all.count, !all[index + 1].spaceBefore, noBreakBefore(all[index + 1].text) {
                w += self.width(all[index + 1].text)
            }
            if lineHasContent && lineWidth + self.width(sep) + w > width && !noBreakBefore(token) {
                lines.append(line)
                line = indent; lineWidth = self.width(indent); lineHasContent = false
            }
            var piece = (lineHasContent ? sep : "") + token
            // Hard-cut a token that cannot fit on an empty line.
            while lineWidth + self.width(piece) > width && !lineHasContent && self.width(piece) > 1 {
                var head = "", headWidth = 0
                var rest = Substring(piece)
                while let ch = rest.first {
                    let cw = self.width(String(ch))
                    if lineWidth + headWidth + cw > width && !head.isEmpty { break }
                    head.append(ch); headWidth += cw; rest = rest.dropFirst()
                }
                lines.append(line + head)
                line = indent; lineWidth = self.width(indent)
                piece = String(rest)
                if piece.isEmpty { break }
            }
            if piece.isEmpty { continue }
            line += piece; lineWidth += self.width(piece); lineHasContent = true
        }
        if lineHasContent || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Pads with spaces to `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - self.width(text)))
    }

    /// Cuts text to `width` columns with a trailing `…`.
    static func truncate(_ text: String, _ width: Int) -> String {
        if self.width(text) <= width { return text }
        var out = "", w = 0
        for ch in text {
            let cw = self.width(String(ch))
            if w + cw > width - 1 { break }
            out.append(ch); w += cw
        }
        return out + "…"
    }

    /// A table: header row, a rule, rows. Columns shrink (widest first) until the table fits `maxWidth`;
    /// cut cells end in `…`. `decorate(row, column, paddedText)` may add colour after layout.
    static func table(headers: [String], rows: [[String]], indent: String, maxWidth: Int,
                      decorate: (Int, Int, String) -> String = { _, _, s in s }) -> [String] {
        let columns = headers.count
        var widths = headers.map(width)
        for row in rows { for (i, cell) in row.enumerated() where i < columns { widths[i] = max(widths[i], width(cell)) } }
        let gap = 2
        func total() -> Int { widths.reduce(0, +) + gap * max(0, columns - 1) + width(indent) }
        while total() > maxWidth, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 6 {
            widths[widest] -= 1
        }
        func line(_ cells: [String], row: Int) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < cells.count ? cells[i] : ""
                let cut = truncate(cell, widths[i])
                let padded = i == columns - 1 ? cut : pad(cut, widths[i])
                parts.append(row < 0 ? padded : decorate(row, i, padded))
            }
            return indent + parts.joined(separator: String(repeating: " ", count: gap))
        }
        var out = [line(headers, row: -1)]
        out.append(indent + widths.map { String(repeating: "─", count: $0) }.joined(separator: String(repeating: " ", count: gap)))
        for (r, row) in rows.enumerated() { out.append(line(row, row: r)) }
        return out
    }
}
