import Correlate

// MARK: - Timeline events

/// One moment of the timeline: when, which frame, which lane (hostname), what.
struct TimelineEvent {
    enum Kind {
        case dnsQuery, dnsAnswer, dnsTimeout, syn, synRetransmit, synAck, clientHello, serverHello, alert
        case clientReset, serverReset, established, connect

        var evidenceKind: EvidenceItem.Kind {
            switch self {
            case .dnsQuery: .dnsQuery
            case .dnsAnswer: .dnsResponse
            case .dnsTimeout: .dnsTimeout
            case .syn: .syn
            case .synRetransmit: .synRetransmit
            case .synAck: .synAck
            case .clientHello: .clientHello
            case .serverHello: .serverHello
            case .alert: .alert
            case .clientReset, .serverReset: .reset
            case .established: .established
            case .connect: .connect
            }
        }
    }
    var moment: PacketMoment
    var kind: Kind
    var lane: String
    /// Data from the capture describing the event (escaped by the writer).
    var detail: String
}

extension ReportContext {
    /// What a DNS transaction asked: `A ssm.ap-northeast-1.amazonaws.com → 10.0.0.2`.
    func dnsQuestionText(_ d: AnalyzedDNS) -> String {
        let t = d.transaction
        return "\(ProtocolNames.dnsType(t.type)) \(t.name.text) → \(AddressText.text(t.resolver))"
    }

    /// What a DNS transaction got: addresses (after CNAMEs), or the rcode.
    func dnsAnswerText(_ d: AnalyzedDNS) -> String {
        let t = d.transaction
        guard let rcode = t.rcode else { return "timeout" }
        let addresses = t.addresses.map(AddressText.text)
        let cnames = t.answers.compactMap { if case .cname(let n) = $0.data { n.text } else { nil } }
        var parts: [String] = []
        if !cnames.isEmpty { parts.append("CNAME " + cnames.joined(separator: " → ")) }
        if !addresses.isEmpty { parts.append(addresses.joined(separator: ", ")) }
        if rcode != 0 || addresses.isEmpty {
            parts.append(rcode == 0 ? "NOERROR/NODATA" : ProtocolNames.rcode(rcode))
        }
        return parts.joined(separator: " ")
    }

    /// `10.0.1.25:49712 → 203.0.113.21:443`.
    func flowText(_ f: AnalyzedFlow) -> String {
        "\(AddressText.endpoint(f.record.client, port: f.record.clientPort)) → \(AddressText.endpoint(f.record.server, port: f.record.serverPort))"
    }

    /// Every event of the output's DNS transactions and flows, in time order (ties by frame).
    var timelineEvents: [TimelineEvent] {
        var events: [TimelineEvent] = []
        for d in analysis.dns {
            let t = d.transaction
            let lane = t.name.text
            if !t.responseOnly {
                events.append(TimelineEvent(moment: t.query, kind: t.timedOut && t.response == nil ? .dnsTimeout : .dnsQuery,
                                            lane: lane, detail: dnsQuestionText(d)))
            }
            if let r = t.response {
                events.append(TimelineEvent(moment: r, kind: .dnsAnswer, lane: lane, detail: dnsAnswerText(d)))
            }
        }
        for f in analysis.flows {
            let r = f.record
            let lane = laneName(f)
            let ft = flowText(f)
            for (i, s) in r.syns.enumerated() {
                events.append(TimelineEvent(moment: s, kind: i == 0 ? .syn : .synRetransmit, lane: lane, detail: ft))
            }
            if let m = r.synAck { events.append(TimelineEvent(moment: m, kind: .synAck, lane: lane, detail: ft)) }
            if let c = r.connect {
                let status = r.connectStatus.map { " → \($0)" } ?? ""
                events.append(TimelineEvent(moment: r.synAck ?? r.first, kind: .connect, lane: lane,
                                            detail: "CONNECT \(Escape.wireBytes(c.host)):\(c.port)\(status)"))
            }
            if let m = r.clientHelloCompleted, let ch = r.clientHello {
                var d = "SNI \(ch.serverName.map(Escape.wireBytes) ?? "—"), \(ch.recordBytes) B"
                if r.clientHelloSegments > 1 { d += ", \(r.clientHelloSegments) \(messages.ui(.tcpSegments))" }
                if ch.offersPostQuantum { d += ", X25519MLKEM768" }
                events.append(TimelineEvent(moment: m, kind: .clientHello, lane: lane, detail: d))
            }
            if let m = r.serverHelloAt, let sh = r.serverHello {
                events.append(TimelineEvent(moment: m, kind: .serverHello, lane: lane, detail: ProtocolNames.tlsVersion(sh.negotiatedVersion)))
            }
            if let m = r.alertAt, let a = r.alert {
                let from = messages.ui(r.alertFromServer ? .fromServer : .fromClient)
                events.append(TimelineEvent(moment: m, kind: .alert, lane: lane, detail: "\(from): \(ProtocolNames.alert(a.description).rfc)"))
            }
            if let m = r.establishedAt { events.append(TimelineEvent(moment: m, kind: .established, lane: lane, detail: ft)) }
            if let m = r.clientReset { events.append(TimelineEvent(moment: m, kind: .clientReset, lane: lane, detail: messages.ui(.clientToServer))) }
            if let m = r.serverReset { events.append(TimelineEvent(moment: m, kind: .serverReset, lane: lane, detail: messages.ui(.serverToClient))) }
        }
        return events.sorted { ($0.moment.time, $0.moment.ref) < ($1.moment.time, $1.moment.ref) }
    }

    /// What an evidence item points at, as capture data: the flow's addresses or the DNS question.
    func evidenceDetail(_ e: EvidenceItem) -> String {
        if let f = flow(e.flowIndex) {
            var text = "\(laneName(f)): \(flowText(f))"
            if e.kind == .alert, let a = f.record.alert { text += " (\(ProtocolNames.alert(a.description).rfc))" }
            return text
        }
        if let d = dns(e.dnsIndex) {
            return e.kind == .dnsResponse ? "\(dnsQuestionText(d)): \(dnsAnswerText(d))" : dnsQuestionText(d)
        }
        return ""
    }
}
