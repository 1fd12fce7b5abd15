import Correlate

// MARK: - Markdown report for a support ticket (GitHub-flavoured tables)

struct MarkdownReport {
    let context: ReportContext
    /// Timeline rows shown before the rest is summarised.
    static let timelineLimit = 60

    private var m: Messages { context.messages }
    private var p: Phrase { context.phrase(.markdown) }
    private func d(_ text: String) -> String { Escape.markdown(text) }

    func render() -> String {
        var out: [String] = []
        out.append("# " + m.ui(.reportTitle))
        out.append("")
        out.append("**\(m.ui(.verdict)) (\(context.verdictBadge)):** " + context.verdictSentence(.markdown))
        out.append("")
        summary(&out)
        timeline(&out)
        endpoints(&out)
        dnsTable(&out)
        findings(&out)
        comparison(&out)
        agentLog(&out)
        capture(&out)
        out.append("---")
        out.append("")
        out.append("\(m.ui(.generatedBy)) ssmpath \(d(context.options.toolVersion))")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Sections

    private func table(_ headers: [String], _ rows: [[String]], into out: inout [String]) {
        out.append("| " + headers.joined(separator: " | ") + " |")
        out.append("|" + headers.map { _ in " --- |" }.joined())
        for row in rows { out.append("| " + row.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |") }
        out.append("")
    }

    /// A fenced block whose fence is longer than any backtick run in the (control-escaped) text.
    private func codeBlock(_ lines: [String], into out: inout [String]) {
        let body = lines.map(Escape.controls)
        var longest = 0
        for line in body {
            var run = 0
            for ch in line { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        out.append(fence + "text")
        out += body
        out.append(fence)
        out.append("")
    }

    private func moreRows(_ total: Int, into out: inout [String]) {
        guard total > ReportContext.tableRowLimit else { return }
        out.append("… \(total - ReportContext.tableRowLimit) \(m.ui(.moreRows))")
        out.append("")
    }

    private func summary(_ out: inout [String]) {
        let a = context.analysis
        out.append("## " + m.ui(.summary))
        out.append("")
        out.append("- \(m.ui(.verdict)): `\(a.verdict.code.rawValue)` — \(m.findingTitle(a.verdict.code))")
        for f in a.findings.dropFirst() {
            out.append("- \(m.severity(f.severity)): `\(f.code.rawValue)` — \(m.findingTitle(f.code))")
        }
        if let s = a.captureStart ?? context.captures.compactMap(\.firstPacket).min(),
           let e = a.captureEnd ?? context.captures.compactMap(\.lastPacket).max() {
            out.append("- \(m.ui(.captureWindow)): \(TimeText.iso8601(s)) – \(TimeText.iso8601(e))")
        }
        out.append("")
    }

    private func timeline(_ out: inout [String]) {
        out.append("## " + m.ui(.timeline))
        out.append("")
        let events = context.timelineEvents
        if events.isEmpty {
            out.append(m.ui(.noEndpoints))
            out.append("")
            return
        }
        let rows = events.prefix(Self.timelineLimit).map { e in
            [context.relative(e.moment.time), context.frameText(e.moment.ref), d(e.lane), m.evidenceKind(e.kind.evidenceKind), d(e.detail)]
        }
        table([m.ui(.time), m.ui(.frame), m.ui(.hostname), m.ui(.event), m.ui(.evidence)], Array(rows), into: &out)
        if events.count > Self.timelineLimit {
            out.append("… \(events.count - Self.timelineLimit) \(m.ui(.moreEvents))")
            out.append("")
        }
    }

    private func endpoints(_ out: inout [String]) {
        out.append("## " + m.ui(.endpoints))
        out.append("")
        let groups = context.endpointGroups
        if groups.isEmpty {
            out.append(m.ui(.noEndpoints))
            out.append("")
            return
        }
        var rows: [[String]] = []
        for g in groups {
            for r in g.rows {
                rows.append([d(g.hostname), d(ReportContext.resolverText(r)), d(ReportContext.answerText(r)),
                             r.addressClass?.rawValue ?? "—", ReportContext.labelSummary(r), ReportContext.attemptsSummary(r)])
            }
        }
        table([m.ui(.hostname), m.ui(.resolver), m.ui(.answer), m.ui(.addressClass), m.ui(.label), m.ui(.attempts)], rows, into: &out)
        let present = FlowLabel.allCases.filter { label in context.analysis.flows.contains { $0.isSSM && $0.label == label } }
        if !present.isEmpty {
            out.append("\(m.ui(.legend)): " + present.map { "`\($0.rawValue)` \(m.labelDescription($0))" }.joined(separator: "; "))
            out.append("")
        }
    }

    private func dnsTable(_ out: inout [String]) {
        out.append("## " + m.ui(.dnsQueries))
        out.append("")
        let items = context.analysis.dns
        if items.isEmpty {
            out.append(m.ui(.noDNS))
            out.append("")
            return
        }
        let rows = items.prefix(ReportContext.tableRowLimit).map { x in
            let t = x.transaction
            return [context.relative(t.query.time), d(AddressText.text(t.client)),
                    d(AddressText.text(t.resolver)) + (x.resolverClass == .amazonProvided ? " (AmazonProvidedDNS)" : ""),
                    d(t.name.text), ProtocolNames.dnsType(t.type),
                    t.response != nil ? m.ui(.answered) : m.ui(.timedOut),
                    d(context.dnsAnswerText(x)), t.rttMilliseconds.map(TimeText.milliseconds) ?? "—"]
        }
        table([m.ui(.time), m.ui(.client), m.ui(.resolver), m.ui(.hostname), m.ui(.type), m.ui(.status), m.ui(.answer), m.ui(.rtt)],
              Array(rows), into: &out)
        moreRows(items.count, into: &out)
    }

    private func findings(_ out: inout [String]) {
        out.append("## " + m.ui(.findings))
        out.append("")
        let a = context.analysis
        if a.findings.isEmpty { out.append(m.ui(.noFindings)); out.append("") }
        for (i, f) in a.findings.enumerated() {
            let values = context.values(for: f)
            out.append("### \(i + 1). \(m.findingTitle(f.code)) (\(m.severity(f.severity)), `\(f.code.rawValue)`)")
            out.append("")
            out.append(p.render(m.findingSummary(f.code), values))
            out.append("")
            out.append(p.render(m.findingDetail(f.code), values))
            out.append("")
            if !f.evidence.isEmpty {
                out.append("**\(m.ui(.evidence))**")
                out.append("")
                let rows = f.evidence.prefix(ReportContext.tableRowLimit).map { e in
                    [context.frameText(e.moment.ref), context.relative(e.moment.time), m.evidenceKind(e.kind), d(context.evidenceDetail(e))]
                }
                table([m.ui(.frame), m.ui(.time), m.ui(.event), m.ui(.evidence)], Array(rows), into: &out)
                moreRows(f.evidence.count, into: &out)
            }
            if !f.remedies.isEmpty {
                out.append("**\(m.ui(.whatToDo))**")
                out.append("")
                for (n, r) in f.remedies.enumerated() {
                    out.append("\(n + 1). **\(m.remedyTitle(r))**: " + p.render(m.remedyDetail(r), values))
                }
                out.append("")
            }
            if let filter = context.displayFilter(for: f) {
                out.append("**\(m.ui(.displayFilter))**")
                out.append("")
                codeBlock([filter], into: &out)
            }
            let log = context.agentLogLines(for: f)
            if !log.isEmpty {
                out.append("**amazon-ssm-agent.log**")
                out.append("")
                codeBlock(log, into: &out)
            }
        }
    }

    private func comparison(_ out: inout [String]) {
        let remedies: [RemedyCode] = [.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway]
        guard context.analysis.findings.contains(where: { $0.remedies.contains(.route53InboundEndpointForwarder) }) else { return }
        out.append("## " + m.ui(.remedyComparison))
        out.append("")
        let rows = remedies.map { r in
            [m.remedyTitle(r), m.remedyUseCase(r) ?? "", m.remedyCaveat(r) ?? ""]
        }
        table([m.ui(.remedy), m.ui(.useCase), m.ui(.caveat)], rows, into: &out)
    }

    private func agentLog(_ out: inout [String]) {
        out.append("## " + m.ui(.agentLog))
        out.append("")
        let verdict = context.verdictFinding
        let lines = verdict.map(context.agentLogLines) ?? []
        if let explanation = m.agentLogExplanation(context.analysis.verdict.code) {
            if !lines.isEmpty { out.append(m.ui(.agentLogIntro)); out.append("") }
            out.append(explanation)
            out.append("")
            if !lines.isEmpty { codeBlock(lines, into: &out) }
        } else {
            out.append(m.ui(.agentLogNone))
            out.append("")
        }
    }

    private func capture(_ out: inout [String]) {
        let a = context.analysis
        out.append("## " + m.ui(.captureMetadata))
        out.append("")
        if !context.captures.isEmpty {
            let rows = context.captures.map { c in
                [d(c.path), d(c.format), d(c.linkTypes.joined(separator: ", ")), "\(c.packets)", "\(c.bytes)",
                 c.firstPacket.map(TimeText.iso8601) ?? "—", c.lastPacket.map(TimeText.iso8601) ?? "—",
                 "\(c.truncated)", "\(c.undecodable)"]
            }
            table([m.ui(.file), m.ui(.format), m.ui(.linkTypes), m.ui(.packets), m.ui(.bytes), m.ui(.firstPacket),
                   m.ui(.lastPacket), m.ui(.truncated), m.ui(.undecodable)], rows, into: &out)
            let warnings = context.captures.flatMap { c in c.warnings.map { "\(c.path): \($0)" } }
            if !warnings.isEmpty {
                out.append("**\(m.ui(.warnings))**")
                out.append("")
                for w in warnings { out.append("- " + d(w)) }
                out.append("")
            }
        }
        if !a.resolvers.isEmpty {
            out.append("**\(m.ui(.resolvers))**")
            out.append("")
            let rows = a.resolvers.map { r in
                [d(AddressText.text(r.address)), r.resolverClass.rawValue + " (" + r.reason.rawValue + ")",
                 "\(r.queries)", "\(r.answered)", "\(r.timeouts)"]
            }
            table([m.ui(.resolver), m.ui(.resolverClass), m.ui(.queries), m.ui(.answered), m.ui(.timedOut)], rows, into: &out)
        }
        let cidrs = a.vpc.cidrs.map { "\(AddressText.text($0.address))/\($0.prefixLength)" }
        out.append("- \(m.ui(.vpcCIDRs)): \(cidrs.isEmpty ? m.ui(.none) : d(cidrs.joined(separator: ", "))) (\(a.vpc.inferred ? m.ui(.inferred) : m.ui(.given)))")
        let c = a.counters
        let an = a.decodeAnomalies
        out.append("- \(m.ui(.counters)): flowsSeen \(c.flowsSeen), dnsMessages \(c.dnsMessages), dnsMalformed \(c.dnsMalformed), "
                   + "flowsEvictedAtLimit \(c.flowsEvictedAtLimit), flowsNotRetained \(c.flowsNotRetained), "
                   + "dnsPendingEvicted \(c.dnsPendingEvicted), truncated \(an.truncated), malformed \(an.malformed)")
        out.append("")
    }
}
