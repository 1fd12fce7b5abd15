import Correlate

// MARK: - Terminal report: one screen, verdict first, at most 100 columns

struct TextReport {
    let context: ReportContext
    static let width = 100

    // MARK: ANSI (only when options.color)

    private enum Color: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    private func paint(_ text: String, _ colors: Color...) -> String {
        guard context.options.color, !text.isEmpty else { return text }
        return "\u{1B}[" + colors.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    private func severityColor(_ s: Severity, healthy: Bool) -> Color {
        if healthy { return .green }
        switch s {
        case .error: return .red
        case .warning: return .yellow
        case .info: return .cyan
        }
    }

    private static func isHealthy(_ code: FindingCode) -> Bool {
        [.healthyVPCEndpoint, .healthyInternet, .healthyProxy].contains(code)
    }

    private func labelColor(_ label: String) -> Color? {
        if label.hasPrefix("vpc-endpoint") || label.hasPrefix("nat-internet") || label.hasPrefix("proxy") { return .green }
        if label.hasPrefix("incomplete") { return .yellow }
        if label == "—" { return nil }
        return .red
    }

    // MARK: Render

    func render() -> String {
        let a = context.analysis
        let m = context.messages
        let p = context.phrase(.terminal)
        let w = Self.width
        var out: [String] = []

        out.append(paint(m.ui(.reportTitle), .bold) + paint(" — ssmpath \(Escape.terminal(context.options.toolVersion))", .dim))
        out.append("")
        let verdictColor = severityColor(a.verdict.severity, healthy: Self.isHealthy(a.verdict.code))
        let badge = "[\(context.verdictBadge)] "
        let sentence = TextLayout.wrap(context.verdictSentence(.terminal), width: w, firstIndent: badge,
                                       indent: String(repeating: " ", count: TextLayout.width(badge)))
        for (i, line) in sentence.enumerated() {
            if i == 0 {
                out.append(paint(badge, verdictColor, .bold) + paint(String(line.dropFirst(badge.count)), .bold))
            } else {
                out.append(paint(line, .bold))
            }
        }
        out.append("")

        // Endpoints: a table per hostname.
        out.append(paint(m.ui(.endpoints), .bold))
        let groups = context.endpointGroups
        if groups.isEmpty { out.append("  " + m.ui(.noEndpoints)) }
        for g in groups {
            out.append("  " + paint(Escape.terminal(g.hostname), .cyan))
            let headers = [m.ui(.resolver), m.ui(.answer), m.ui(.addressClass), m.ui(.label), m.ui(.attempts)]
            let rows = g.rows.map { r in
                [Escape.terminal(ReportContext.resolverText(r)), Escape.terminal(ReportContext.answerText(r)),
                 r.addressClass?.rawValue ?? "—", ReportContext.labelSummary(r), ReportContext.attemptsSummary(r)]
            }
            out += TextLayout.table(headers: headers, rows: rows, indent: "    ", maxWidth: w) { _, column, cell in
                guard column == 3, let c = labelColor(cell.trimmingTrailingSpaces()) else { return cell }
                return paint(cell, c)
            }
        }
        out.append("")

        // Findings with remedies.
        out.append(paint(m.ui(.findings), .bold))
        if a.findings.isEmpty { out.append("  " + m.ui(.noFindings)) }
        for (index, f) in a.findings.enumerated() {
            let values = context.values(for: f)
            let color = severityColor(f.severity, healthy: Self.isHealthy(f.code))
            let head = "\(index + 1). [\(m.severity(f.severity))] "
            let titleLines = TextLayout.wrap(m.findingTitle(f.code), width: w, firstIndent: "  " + head, indent: "     ")
            for (i, line) in titleLines.enumerated() {
                out.append(i == 0 ? paint(line, color, .bold) : paint(line, .bold))
            }
            let isVerdict = index == 0
            let body = isVerdict ? p.render(m.findingDetail(f.code), values)
                : p.render(m.findingSummary(f.code), values)
            out += TextLayout.wrap(body, width: w, firstIndent: "     ", indent: "     ")
            if isVerdict && !f.evidence.isEmpty {
                out.append("     " + paint(m.ui(.evidence), .dim))
                for e in f.evidence.prefix(3) {
                    let line = "\(context.frameText(e.moment.ref)) \(context.relative(e.moment.time)) \(m.evidenceKind(e.kind)): "
                        + Escape.terminal(context.evidenceDetail(e))
                    out += TextLayout.wrap(line, width: w, firstIndent: "       ", indent: "         ")
                }
            }
            for (ri, r) in f.remedies.enumerated() {
                out += TextLayout.wrap("→ " + m.remedyTitle(r), width: w, firstIndent: "     ", indent: "       ")
                if isVerdict && ri == 0 {
                    out += TextLayout.wrap(p.render(m.remedyDetail(r), values), width: w, firstIndent: "       ", indent: "       ")
                }
            }
            if isVerdict, let filter = context.displayFilter(for: f) {
                out += TextLayout.wrap(m.ui(.displayFilter) + ": " + Escape.terminal(filter), width: w,
                                       firstIndent: "     ", indent: "       ")
            }
            if isVerdict, let log = context.agentLogLines(for: f).first {
                out += TextLayout.wrap("amazon-ssm-agent.log: " + Escape.terminal(log), width: w,
                                       firstIndent: "     ", indent: "       ")
            }
        }
        out.append("")

        // One line per capture file.
        for c in context.captures {
            var line = "\(m.ui(.captureMetadata)): \(Escape.terminal(c.path)) (\(Escape.terminal(c.format))), \(m.ui(.packets)) \(c.packets)"
            if let f = c.firstPacket, let l = c.lastPacket { line += ", \(TimeText.iso8601(f)) – \(TimeText.iso8601(l))" }
            out += TextLayout.wrap(line, width: w, indent: "  ").map { paint($0, .dim) }
            for warning in c.warnings.prefix(3) {
                out += TextLayout.wrap("! " + Escape.terminal(warning), width: w, firstIndent: "  ", indent: "    ").map { paint($0, .yellow) }
            }
        }
        return out.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
