import Correlate

// MARK: - SVG timeline: a lane per hostname, DNS markers, a bar per connection attempt

struct SVGTimeline {
    let context: ReportContext

    // Geometry of the drawing (SVG user units; the SVG scales to the page width).
    private let width = 1000.0
    private let left = 12.0
    private let right = 12.0
    private let axisHeight = 30.0
    private let laneTitle = 20.0
    private let rowHeight = 18.0
    private let laneGap = 12.0

    /// Marks drawn at most, per kind; a long capture keeps the page small (the tables and JSON have the rest).
    static let maxFlows = 1_500
    static let maxDNS = 1_500

    private struct Lane {
        var name: String
        var dns: [AnalyzedDNS] = []
        var flows: [(flow: AnalyzedFlow, row: Int)] = []
        var rows = 0
    }

    func render() -> String {
        let a = context.analysis
        let m = context.messages
        // Time span of everything drawn.
        var times: [Timestamp] = []
        for d in a.dns {
            times.append(d.transaction.query.time)
            if let r = d.transaction.response { times.append(r.time) }
        }
        for f in a.flows { times.append(f.record.first.time); times.append(f.record.last.time) }
        guard let tMin = times.min(), let tMax = times.max() else { return "" }
        let spanNs = max(Double(tMax.nanoseconds(since: tMin)), 1_000_000)
        let spanPadded = spanNs * 1.04
        let plotWidth = width - left - right
        func x(_ t: Timestamp) -> Double { left + Double(t.nanoseconds(since: tMin)) / spanPadded * plotWidth }

        // Lanes in order of first appearance; flows stacked in rows so bars never overlap.
        var lanes: [Lane] = []
        func laneIndex(_ name: String) -> Int {
            if let i = lanes.firstIndex(where: { $0.name == name }) { return i }
            lanes.append(Lane(name: name))
            return lanes.count - 1
        }
        var laneRowEnds: [[Double]] = []
        for d in a.dns.prefix(Self.maxDNS) { let i = laneIndex(d.transaction.name.text); lanes[i].dns.append(d) }
        for f in a.flows.prefix(Self.maxFlows).sorted(by: { $0.record.first.time < $1.record.first.time }) {
            let i = laneIndex(context.laneName(f))
            while laneRowEnds.count < lanes.count { laneRowEnds.append([]) }
            let start = x(f.record.syns.first?.time ?? f.record.first.time)
            let end = max(x(f.record.last.time), start + 4)
            var row = laneRowEnds[i].firstIndex { $0 + 2 <= start } ?? laneRowEnds[i].count
            if row == laneRowEnds[i].count { laneRowEnds[i].append(end) } else { laneRowEnds[i][row] = end }
            if row > 40 { row = 40 } // bounded drawing height; later attempts overlap the last row
            lanes[i].flows.append((f, row))
            lanes[i].rows = max(lanes[i].rows, row + 1)
        }

        // Height.
        var height = axisHeight + 6
        for lane in lanes {
            height += laneTitle + (lane.dns.isEmpty ? 0 : rowHeight) + Double(lane.rows) * rowHeight + laneGap
        }
        height += 4

        var svg: [String] = []
        let caption = Escape.html(m.ui(.timelineCaption))
        svg.append("<figure class=\"timeline-figure\"><div class=\"timeline\">")
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(Escape.html(m.ui(.timeline)))\" font-family=\"system-ui,'Noto Sans CJK JP',sans-serif\" font-size=\"13\">")
        svg.append("<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#fff\"/>")

        // Axis with ticks relative to the capture start.
        let step = Self.tickStep(spanSeconds: spanPadded / 1e9)
        let originOffset = Double(tMin.nanoseconds(since: context.origin)) / 1e9
        var tick = (originOffset / step).rounded(.up) * step
        var ticks = 0
        while tick <= originOffset + spanPadded / 1e9 && ticks < 40 {
            let tx = left + (tick - originOffset) * 1e9 / spanPadded * plotWidth
            svg.append("<line x1=\"\(n(tx))\" y1=\"\(n(axisHeight - 6))\" x2=\"\(n(tx))\" y2=\"\(n(height))\" stroke=\"#e5e7eb\"/>")
            svg.append("<text x=\"\(n(tx))\" y=\"\(n(axisHeight - 10))\" text-anchor=\"middle\" fill=\"#57606a\">\(Self.seconds(tick, step: step))\(Escape.html(m.ui(.seconds)))</text>")
            tick += step
            ticks += 1
        }
        svg.append("<line x1=\"\(n(left))\" y1=\"\(n(axisHeight - 6))\" x2=\"\(n(width - right))\" y2=\"\(n(axisHeight - 6))\" stroke=\"#8c959f\"/>")

        // Lanes.
        var y = axisHeight + 6
        for (index, lane) in lanes.enumerated() {
            let laneHeight = laneTitle + (lane.dns.isEmpty ? 0 : rowHeight) + Double(lane.rows) * rowHeight
            if index % 2 == 1 {
                svg.append("<rect x=\"0\" y=\"\(n(y - laneGap / 2))\" width=\"\(n(width))\" height=\"\(n(laneHeight + laneGap))\" fill=\"#f6f8fa\" opacity=\"0.7\"/>")
            }
            svg.append("<text x=\"\(n(left))\" y=\"\(n(y + 14))\" font-weight=\"600\" font-size=\"15\" fill=\"#1b1f24\">\(Escape.html(lane.name))</text>")
            var rowY = y + laneTitle
            if !lane.dns.isEmpty {
                let cy = rowY + rowHeight / 2
                for d in lane.dns { svg += dnsMarks(d, cy: cy, x: x) }
                rowY += rowHeight
            }
            for (f, row) in lane.flows { svg += flowBar(f, top: rowY + Double(row) * rowHeight, x: x) }
            y += laneHeight + laneGap
        }
        svg.append("</svg></div>")

        // Legend as HTML so that it wraps at phone width.
        var legend = "<ul class=\"legend\">"
        legend += "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><circle cx=\"6\" cy=\"6\" r=\"4.5\" fill=\"#0969da\"/></svg>\(Escape.html(m.ui(.dnsQuery)))</li>"
        legend += "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><path d=\"M6 0.5 L11.5 6 L6 11.5 L0.5 6 Z\" fill=\"#1a7f37\"/></svg>\(Escape.html(m.ui(.dnsAnswer)))</li>"
        legend += "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><circle cx=\"6\" cy=\"6\" r=\"4.5\" fill=\"#fff\" stroke=\"#c62828\" stroke-width=\"2\"/></svg>\(Escape.html(m.evidenceKind(.dnsTimeout)))</li>"
        legend += "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect x=\"0\" y=\"2\" width=\"12\" height=\"8\" fill=\"#c62828\"/><line x1=\"6\" y1=\"0\" x2=\"6\" y2=\"12\" stroke=\"#1b1f24\" stroke-width=\"2\"/></svg>\(Escape.html(m.evidenceKind(.synRetransmit)))</li>"
        if a.flows.contains(where: { $0.record.clientHelloCompleted != nil }) {
            legend += "<li><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect x=\"0\" y=\"2\" width=\"12\" height=\"8\" fill=\"#57606a\"/><circle cx=\"6\" cy=\"6\" r=\"3\" fill=\"#fff\"/></svg>\(Escape.html(m.evidenceKind(.clientHello)))</li>"
        }
        let present = FlowLabel.allCases.filter { label in a.flows.contains { $0.label == label } }
        for label in present {
            legend += "<li><span class=\"swatch\" style=\"background:\(LabelColor.fill(label))\"></span><code>\(label.rawValue)</code> \(Escape.html(m.labelDescription(label)))</li>"
        }
        legend += "</ul>"
        svg.append(legend)
        svg.append("<figcaption>\(caption)</figcaption></figure>")
        return svg.joined(separator: "\n")
    }

    // MARK: - Marks

    private func dnsMarks(_ d: AnalyzedDNS, cy: Double, x: (Timestamp) -> Double) -> [String] {
        let t = d.transaction
        var out: [String] = []
        let qx = x(t.query.time)
        let title = Escape.html("\(context.relative(t.query.time)) \(context.dnsQuestionText(d))")
        if let r = t.response {
            let rx = x(r.time)
            let ok = !(t.addresses.isEmpty)
            let colour = ok ? (d.answerClass == .public ? "#bc4c00" : "#1a7f37") : "#cf222e"
            if !t.responseOnly {
                out.append("<line x1=\"\(n(qx))\" y1=\"\(n(cy))\" x2=\"\(n(rx))\" y2=\"\(n(cy))\" stroke=\"#8c959f\" stroke-dasharray=\"2 2\"/>")
                out.append("<circle cx=\"\(n(qx))\" cy=\"\(n(cy))\" r=\"5.5\" fill=\"#0969da\"><title>\(title)</title></circle>")
            }
            let answerTitle = Escape.html("\(context.relative(r.time)) \(context.dnsAnswerText(d))")
            out.append("<path d=\"M\(n(rx)) \(n(cy - 5.5)) L\(n(rx + 5.5)) \(n(cy)) L\(n(rx)) \(n(cy + 5.5)) L\(n(rx - 5.5)) \(n(cy)) Z\" fill=\"\(colour)\"><title>\(answerTitle)</title></path>")
        } else {
            out.append("<circle cx=\"\(n(qx))\" cy=\"\(n(cy))\" r=\"5.5\" fill=\"#fff\" stroke=\"#c62828\" stroke-width=\"2\"><title>\(title) (timeout)</title></circle>")
        }
        return out
    }

    private func flowBar(_ f: AnalyzedFlow, top: Double, x: (Timestamp) -> Double) -> [String] {
        let r = f.record
        let start = x(r.syns.first?.time ?? r.first.time)
        let end = max(x(r.last.time), start + 4)
        let barTop = top + 3
        let barHeight = rowHeight - 6
        var out: [String] = []
        let title = Escape.html("\(context.relative(r.first.time)) \(context.flowText(f)) \(f.label.rawValue)"
                                + (r.synRetransmits > 0 ? ", SYN ×\(r.synCount)" : ""))
        out.append("<rect x=\"\(n(start))\" y=\"\(n(barTop))\" width=\"\(n(end - start))\" height=\"\(n(barHeight))\" rx=\"2\" fill=\"\(LabelColor.fill(f.label))\"><title>\(title)</title></rect>")
        for s in r.syns.dropFirst() {
            let sx = x(s.time)
            out.append("<line x1=\"\(n(sx))\" y1=\"\(n(barTop - 1.5))\" x2=\"\(n(sx))\" y2=\"\(n(barTop + barHeight + 1.5))\" stroke=\"#1b1f24\" stroke-width=\"2\"/>")
        }
        if let hello = r.clientHelloCompleted {
            // The ClientHello: a white notch; hollow when it took two or more TCP segments.
            let hx = x(hello.time)
            let split = r.clientHelloSegments > 1
            let helloTitle = Escape.html("\(context.relative(hello.time)) ClientHello"
                                         + (split ? ", \(r.clientHelloSegments) \(context.messages.ui(.tcpSegments))" : ""))
            out.append("<circle cx=\"\(n(hx))\" cy=\"\(n(barTop + barHeight / 2))\" r=\"3\" fill=\"\(split ? "none" : "#fff")\" stroke=\"#fff\" stroke-width=\"1.5\"><title>\(helloTitle)</title></circle>")
        }
        if let reset = r.serverReset ?? r.clientReset {
            let rx = x(reset.time)
            out.append("<line x1=\"\(n(rx - 3))\" y1=\"\(n(barTop))\" x2=\"\(n(rx + 3))\" y2=\"\(n(barTop + barHeight))\" stroke=\"#fff\" stroke-width=\"1.5\"/>")
        }
        return out
    }

    // MARK: - Numbers

    /// A tick step giving at most about eight ticks.
    static func tickStep(spanSeconds: Double) -> Double {
        let steps: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600,
                               900, 1800, 3600, 7200, 21600, 43200, 86400]
        return steps.first { spanSeconds / $0 <= 8 } ?? 86400
    }

    /// Tick label with as many decimals as the step needs.
    static func seconds(_ value: Double, step: Double) -> String {
        let decimals = step >= 1 ? 0 : (step >= 0.1 ? 1 : (step >= 0.01 ? 2 : 3))
        return fixed(value, decimals: decimals)
    }

    /// Fixed-point text without Foundation: `fixed(1.25, 1)` is `1.3`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        guard value.isFinite, let scaled = Int64(exactly: (value * scale).rounded()) else { return "0" }
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let divisor = UInt64(scale)
        if decimals == 0 { return sign + String(magnitude) }
        let frac = String(magnitude % divisor)
        return sign + String(magnitude / divisor) + "." + String(repeating: "0", count: max(0, decimals - frac.count)) + frac
    }

    /// Coordinates with one decimal.
    private func n(_ value: Double) -> String { Self.fixed(value, decimals: 1) }
}
