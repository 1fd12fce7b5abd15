import Correlate

// MARK: - Sentence templates
//
// Catalog sentences are templates: literal text, `code spans` in backticks, and `{placeholders}` for
// values from the capture. A template is rendered for one output style: the literal text is authored
// (only HTML needs its `&<>` escaped), code spans become the format's code, and every value is escaped
// as data from the wire.

/// How rendered text will be shown.
enum TextStyle {
    /// JSON: values as they are (the JSON writer escapes), code spans keep their backticks.
    case plain
    /// Terminal: control characters in values made visible.
    case terminal
    case markdown
    case html
}

/// A value a template refers to.
enum PhraseValue {
    /// One value from the capture.
    case data(String)
    /// A list of values from the capture, joined per language; `ifEmpty` (authored text) when empty.
    case list([String], ifEmpty: String)
}

/// Placeholders the catalog may use.
enum Placeholder: String, CaseIterable {
    case hosts, resolvers, addresses, clients, region, rcode, alert, port
}

struct Phrase {
    let style: TextStyle
    let language: ReportLanguage

    /// Escapes one value taken from the capture for this style.
    func data(_ text: String) -> String {
        switch style {
        case .plain: text
        case .terminal: Escape.terminal(text)
        case .markdown: Escape.markdown(text)
        case .html: Escape.html(text)
        }
    }

    /// Escapes authored text for this style (only HTML needs it).
    func literal(_ text: String) -> String {
        style == .html ? Escape.html(text) : text
    }

    /// A value shown as code (a command, a filter, a log line).
    func code(_ text: String) -> String {
        switch style {
        case .plain: "`" + text + "`"
        case .terminal: Escape.terminal(text)
        case .markdown: Escape.markdownCode(text)
        case .html: "<code>" + Escape.html(text) + "</code>"
        }
    }

    /// Renders a template: literal text, `code`, and `{placeholder}` values.
    /// An unknown placeholder is kept literally (the catalog test catches it).
    func render(_ template: String, _ values: [Placeholder: PhraseValue]) -> String {
        var out = ""
        var inCode = false
        var codeBuffer = ""   // raw code text; values inside code are inserted raw and escaped with it
        var index = template.startIndex
        while index < template.endIndex {
            let ch = template[index]
            if ch == "`" {
                if inCode { out += code(codeBuffer); codeBuffer = "" }
                inCode.toggle()
                index = template.index(after: index)
                continue
            }
            if ch == "{", let close = template[index...].firstIndex(of: "}"),
               let key = Placeholder(rawValue: String(template[template.index(after: index)..<close])) {
                let value = values[key] ?? .list([], ifEmpty: "")
                if inCode { codeBuffer += rawText(value) } else { out += rendered(value) }
                index = template.index(after: close)
                continue
            }
            if inCode { codeBuffer.append(ch) } else { out += literal(String(ch)) }
            index = template.index(after: index)
        }
        if inCode { out += code(codeBuffer) }
        return out
    }

    private func rendered(_ value: PhraseValue) -> String {
        switch value {
        case .data(let text): return data(text)
        case .list(let items, let ifEmpty):
            if items.isEmpty { return literal(ifEmpty) }
            return join(items.map(data))
        }
    }

    private func rawText(_ value: PhraseValue) -> String {
        switch value {
        case .data(let text): text
        case .list(let items, let ifEmpty): items.isEmpty ? ifEmpty : items.joined(separator: ", ")
        }
    }

    /// Joins escaped items: "a, b and c" / "a、b、c"; beyond four, "and N more" / "ほか N 件".
    func join(_ escaped: [String]) -> String {
        let shown = Array(escaped.prefix(4))
        let rest = escaped.count - shown.count
        switch language {
        case .en:
            if rest > 0 { return shown.joined(separator: ", ") + literal(" and \(rest) more") }
            if shown.count <= 1 { return shown.first ?? "" }
            return shown.dropLast().joined(separator: ", ") + " and " + (shown.last ?? "")
        case .ja:
            let joined = shown.joined(separator: "、")
            return rest > 0 ? joined + literal(" ほか \(rest) 件") : joined
        }
    }
}
