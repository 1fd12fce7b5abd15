import Correlate

// MARK: - Self-contained HTML: inline CSS and SVG, no script, nothing fetched

struct HTMLReport {
    let context: ReportContext
    static let timelineLimit = 60

    private var m: Messages { context.messages }
    private var p: Phrase { context.phrase(.html) }
    /// Escapes data from the capture.
    private func d(_ text: String) -> String { Escape.html(text) }
    /// Escapes authored text.
    private func t(_ key: UIText) -> String { Escape.html(m.ui(key)) }
    private func h(_ text: String) -> String { Escape.html(text) }

    func render() -> String {
        let a = context.analysis
        var out: [String] = []
        let healthy = [FindingCode.healthyVPCEndpoint, .healthyInternet, .healthyProxy].contains(a.verdict.code)
        let verdictClass = healthy ? "ok" : a.verdict.severity.rawValue
        out.append("<!DOCTYPE html>")
        out.append("<html lang=\"\(context.options.language.rawValue)\">")
        out.append("<head>")
        out.append("<meta charset=\"utf-8\">")
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        out.append("<meta name=\"generator\" content=\"ssmpath \(d(context.options.toolVersion))\">")
        out.append("<title>\(t(.reportTitle)) — \(h(a.verdict.code.rawValue))</title>")
        out.append("<style>\n\(Self.css)</style>")
        out.append("</head>")
        out.append("<body>")
        out.append("<main>")
        out.append("<h1>\(t(.reportTitle))</h1>")
        out.append("<p class=\"verdict \(verdictClass)\"><span class=\"badge\">\(h(context.verdictBadge))</span> \(context.verdictSentence(.html))</p>")
        summary(&out)
        timeline(&out)
        endpoints(&out)
        dnsTable(&out)
        findings(&out)
        comparison(&out)
        agentLog(&out)
        capture(&out)
        timelineEvents(&out)
        out.append("<footer>\(t(.generatedBy)) ssmpath \(d(context.options.toolVersion))</footer>")
        out.append("</main>")
        out.append("</body>")
        out.append("</html>")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Pieces

    private func table(_ headers: [String], _ rows: [[String]], classes: [String] = [], into out: inout [String]) {
        out.append("<div class=\"scroll\"><table>")
        out.append("<thead><tr>" + headers.map { "<th>\($0)</th>" }.joined() + "</tr></thead>")
        out.append("<tbody>")
        for row in rows {
            var cells = ""
            for (i, cell) in row.enumerated() {
                let cls = i < classes.count && !classes[i].isEmpty ? " class=\"\(classes[i])\"" : ""
                // The header again, for the stacked layout at phone width (headers are already escaped).
                let label = i < headers.count ? " data-label=\"\(headers[i])\"" : ""
                cells += "<td\(cls)\(label)>\(cell)</td>"
            }
            out.append("<tr>\(cells)</tr>")
        }
        out.append("</tbody></table></div>")
    }

    /// `timeout ×3, vpc-endpoint` as coloured badges; anything else as text.
    private func labelCell(_ text: String) -> String {
        var badges: [String] = []
        for part in text.split(separator: ",") {
            let words = part.split(separator: " ")
            guard let first = words.first, FlowLabel(rawValue: String(first)) != nil else { return h(text) }
            badges.append("<span class=\"label l-\(h(String(first)))\">\(h(words.joined(separator: " ")))</span>")
        }
        return badges.isEmpty ? h(text) : badges.joined(separator: " ")
    }

    private func pre(_ lines: [String]) -> String {
        "<pre><code>" + lines.map(d).joined(separator: "\n") + "</code></pre>"
    }

    private func moreRows(_ total: Int, into out: inout [String]) {
        guard total > ReportContext.tableRowLimit else { return }
        out.append("<p>… \(total - ReportContext.tableRowLimit) \(t(.moreRows))</p>")
    }

    // MARK: - Sections

    private func summary(_ out: inout [String]) {
        let a = context.analysis
        out.append("<section><h2>\(t(.summary))</h2><ul>")
        out.append("<li>\(t(.verdict)): <code>\(h(a.verdict.code.rawValue))</code> — \(h(m.findingTitle(a.verdict.code)))</li>")
        for f in a.findings.dropFirst() {
            out.append("<li>\(h(m.severity(f.severity))): <code>\(h(f.code.rawValue))</code> — \(h(m.findingTitle(f.code)))</li>")
        }
        if let s = a.captureStart ?? context.captures.compactMap(\.firstPacket).min(),
           let e = a.captureEnd ?? context.captures.compactMap(\.lastPacket).max() {
            out.append("<li>\(t(.captureWindow)): <time>\(TimeText.iso8601(s))</time> – <time>\(TimeText.iso8601(e))</time></li>")
        }
        out.append("</ul></section>")
    }

    private func timeline(_ out: inout [String]) {
        out.append("<section><h2>\(t(.timeline))</h2>")
        let events = context.timelineEvents
        if events.isEmpty {
            out.append("<p>\(t(.noEndpoints))</p></section>")
            return
        }
        out.append(SVGTimeline(context: context).render())
        out.append("<p><a href=\"#events\">\(t(.timeline)): \(events.count) ↓</a></p>")
        out.append("</section>")
    }

    /// Every event as a table, after the rest: long, and mostly for reading alongside Wireshark.
    private func timelineEvents(_ out: inout [String]) {
        let events = context.timelineEvents
        guard !events.isEmpty else { return }
        out.append("<section id=\"events\"><h2>\(t(.timeline))</h2>")
        let rows = events.prefix(Self.timelineLimit).map { e in
            [context.relative(e.moment.time), h(context.frameText(e.moment.ref)), d(e.lane), h(m.evidenceKind(e.kind.evidenceKind)), d(e.detail)]
        }
        table([t(.time), t(.frame), t(.hostname), t(.event), t(.evidence)], Array(rows), classes: ["num", "num", "name", "", "name"], into: &out)
        if events.count > Self.timelineLimit {
            out.append("<p>… \(events.count - Self.timelineLimit) \(t(.moreEvents))</p>")
        }
        out.append("</section>")
    }

    private func endpoints(_ out: inout [String]) {
        out.append("<section><h2>\(t(.endpoints))</h2>")
        let groups = context.endpointGroups
        if groups.isEmpty {
            out.append("<p>\(t(.noEndpoints))</p></section>")
            return
        }
        var rows: [[String]] = []
        for g in groups {
            for r in g.rows {
                rows.append([d(g.hostname), d(ReportContext.resolverText(r)), d(ReportContext.answerText(r)),
                             h(r.addressClass?.rawValue ?? "—"), labelCell(ReportContext.labelSummary(r)),
                             h(ReportContext.attemptsSummary(r))])
            }
        }
        table([t(.hostname), t(.resolver), t(.answer), t(.addressClass), t(.label), t(.attempts)], rows,
              classes: ["name", "name", "name", "", "", "num"], into: &out)
        out.append("</section>")
    }

    private func dnsTable(_ out: inout [String]) {
        out.append("<section><h2>\(t(.dnsQueries))</h2>")
        let items = context.analysis.dns
        if items.isEmpty {
            out.append("<p>\(t(.noDNS))</p></section>")
            return
        }
        let rows = items.prefix(ReportContext.tableRowLimit).map { x in
            let tr = x.transaction
            return [context.relative(tr.query.time), d(AddressText.text(tr.client)),
                    d(AddressText.text(tr.resolver)) + (x.resolverClass == .amazonProvided ? " <small>(AmazonProvidedDNS)</small>" : ""),
                    d(tr.name.text), h(ProtocolNames.dnsType(tr.type)),
                    tr.response != nil ? t(.answered) : "<span class=\"label l-timeout\">\(t(.timedOut))</span>",
                    d(context.dnsAnswerText(x)), tr.rttMilliseconds.map(TimeText.milliseconds) ?? "—"]
        }
        table([t(.time), t(.client), t(.resolver), t(.hostname), t(.type), t(.status), t(.answer), t(.rtt)], Array(rows),
              classes: ["num", "name", "name", "name", "", "", "name", "num"], into: &out)
        moreRows(items.count, into: &out)
        out.append("</section>")
    }

    private func findings(_ out: inout [String]) {
        let a = context.analysis
        out.append("<section><h2>\(t(.findings))</h2>")
        if a.findings.isEmpty { out.append("<p>\(t(.noFindings))</p>") }
        for (i, f) in a.findings.enumerated() {
            let values = context.values(for: f)
            out.append("<article class=\"finding \(h(f.severity.rawValue))\">")
            out.append("<h3>\(i + 1). \(h(m.findingTitle(f.code))) <small>(\(h(m.severity(f.severity))), <code>\(h(f.code.rawValue))</code>)</small></h3>")
            out.append("<p><strong>\(p.render(m.findingSummary(f.code), values))</strong></p>")
            out.append("<p>\(p.render(m.findingDetail(f.code), values))</p>")
            if !f.evidence.isEmpty {
                out.append("<h4>\(t(.evidence))</h4>")
                let rows = f.evidence.prefix(ReportContext.tableRowLimit).map { e in
                    [h(context.frameText(e.moment.ref)), context.relative(e.moment.time), h(m.evidenceKind(e.kind)), d(context.evidenceDetail(e))]
                }
                table([t(.frame), t(.time), t(.event), t(.evidence)], Array(rows), classes: ["num", "num", "", "name"], into: &out)
                moreRows(f.evidence.count, into: &out)
            }
            if !f.remedies.isEmpty {
                out.append("<h4>\(t(.whatToDo))</h4><ol>")
                for r in f.remedies {
                    out.append("<li><strong>\(h(m.remedyTitle(r)))</strong>: \(p.render(m.remedyDetail(r), values))</li>")
                }
                out.append("</ol>")
            }
            if let filter = context.displayFilter(for: f) {
                out.append("<h4>\(t(.displayFilter))</h4>")
                out.append(pre([filter]))
            }
            let log = context.agentLogLines(for: f)
            if !log.isEmpty {
                out.append("<h4>amazon-ssm-agent.log</h4>")
                out.append(pre(log))
            }
            out.append("</article>")
        }
        out.append("</section>")
    }

    private func comparison(_ out: inout [String]) {
        guard context.analysis.findings.contains(where: { $0.remedies.contains(.route53InboundEndpointForwarder) }) else { return }
        out.append("<section><h2>\(t(.remedyComparison))</h2>")
        let remedies: [RemedyCode] = [.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway]
        let rows = remedies.map { r in
            ["<strong>\(h(m.remedyTitle(r)))</strong>", h(m.remedyUseCase(r) ?? ""), h(m.remedyCaveat(r) ?? "")]
        }
        table([t(.remedy), t(.useCase), t(.caveat)], rows, classes: ["wide", "wide", "wide"], into: &out)
        out.append("</section>")
    }

    private func agentLog(_ out: inout [String]) {
        out.append("<section><h2>\(t(.agentLog))</h2>")
        let lines = context.verdictFinding.map(context.agentLogLines) ?? []
        if let explanation = m.agentLogExplanation(context.analysis.verdict.code) {
            if !lines.isEmpty { out.append("<p>\(t(.agentLogIntro))</p>") }
            out.append("<p>\(h(explanation))</p>")
            if !lines.isEmpty { out.append(pre(lines)) }
        } else {
            out.append("<p>\(t(.agentLogNone))</p>")
        }
        out.append("</section>")
    }

    private func capture(_ out: inout [String]) {
        let a = context.analysis
        out.append("<section><h2>\(t(.captureMetadata))</h2>")
        if !context.captures.isEmpty {
            let rows = context.captures.map { c in
                [d(c.path), d(c.format), d(c.linkTypes.joined(separator: ", ")), "\(c.packets)", "\(c.bytes)",
                 c.firstPacket.map(TimeText.iso8601) ?? "—", c.lastPacket.map(TimeText.iso8601) ?? "—",
                 "\(c.truncated)", "\(c.undecodable)"]
            }
            table([t(.file), t(.format), t(.linkTypes), t(.packets), t(.bytes), t(.firstPacket), t(.lastPacket),
                   t(.truncated), t(.undecodable)], rows, classes: ["name", "", "", "num", "num", "num", "num", "num", "num"], into: &out)
            let warnings = context.captures.flatMap { c in c.warnings.map { "\(c.path): \($0)" } }
            if !warnings.isEmpty {
                out.append("<h4>\(t(.warnings))</h4><ul>" + warnings.map { "<li>\(d($0))</li>" }.joined() + "</ul>")
            }
        }
        if !a.resolvers.isEmpty {
            out.append("<h4>\(t(.resolvers))</h4>")
            let rows = a.resolvers.map { r in
                [d(AddressText.text(r.address)), h(r.resolverClass.rawValue + " (" + r.reason.rawValue + ")"),
                 "\(r.queries)", "\(r.answered)", "\(r.timeouts)"]
            }
            table([t(.resolver), t(.resolverClass), t(.queries), t(.answered), t(.timedOut)], rows,
                  classes: ["name", "", "num", "num", "num"], into: &out)
        }
        let cidrs = a.vpc.cidrs.map { "\(AddressText.text($0.address))/\($0.prefixLength)" }
        let c = a.counters
        let an = a.decodeAnomalies
        out.append("<ul>")
        out.append("<li>\(t(.vpcCIDRs)): \(cidrs.isEmpty ? t(.none) : d(cidrs.joined(separator: ", "))) (\(a.vpc.inferred ? t(.inferred) : t(.given)))</li>")
        out.append("<li>\(t(.counters)): flowsSeen \(c.flowsSeen), dnsMessages \(c.dnsMessages), dnsMalformed \(c.dnsMalformed), "
                   + "flowsEvictedAtLimit \(c.flowsEvictedAtLimit), flowsNotRetained \(c.flowsNotRetained), "
                   + "dnsPendingEvicted \(c.dnsPendingEvicted), truncated \(an.truncated), malformed \(an.malformed)</li>")
        out.append("</ul></section>")
    }
}
