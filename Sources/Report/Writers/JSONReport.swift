import Correlate

// MARK: - JSON report (schemaVersion 1, documented in README.md)

struct JSONReport {
    let context: ReportContext

    func render() -> String {
        let a = context.analysis
        let plain = context.phrase(.plain)
        let m = context.messages
        let root: JSONValue = .object([
            ("schemaVersion", .int(1)),
            ("tool", .object([("name", .string("ssmpath")), ("version", .string(context.options.toolVersion))])),
            ("captures", .array(context.captures.map(capture))),
            ("verdict", .object([
                ("code", .string(a.verdict.code.rawValue)),
                ("severity", .string(a.verdict.severity.rawValue)),
                ("summary", .string(context.verdictSentence(.plain))),
            ])),
            ("findings", .array(a.findings.map { f in
                let values = context.values(for: f)
                return .object([
                    ("code", .string(f.code.rawValue)),
                    ("severity", .string(f.severity.rawValue)),
                    ("title", .string(m.findingTitle(f.code))),
                    ("detail", .string(plain.render(m.findingSummary(f.code), values) + " "
                                       + plain.render(m.findingDetail(f.code), values))),
                    ("evidence", .array(f.evidence.map(evidence))),
                    ("remediation", .array(f.remedies.map { r in
                        .object([
                            ("code", .string(r.rawValue)),
                            ("title", .string(m.remedyTitle(r))),
                            ("detail", .string(plain.render(m.remedyDetail(r), values))),
                        ])
                    })),
                    ("displayFilter", .optionalString(context.displayFilter(for: f))),
                    ("agentLog", .array(context.agentLogLines(for: f).map(JSONValue.string))),
                ])
            })),
            ("dns", .array(a.dns.map(dns))),
            ("flows", .array(a.flows.map(flow))),
            ("resolvers", .array(a.resolvers.map { r in
                .object([
                    ("address", .string(AddressText.text(r.address))),
                    ("class", .string(r.resolverClass.rawValue)),
                    ("reason", .string(r.reason.rawValue)),
                    ("queries", .int(r.queries)),
                    ("answered", .int(r.answered)),
                    ("timeouts", .int(r.timeouts)),
                ])
            })),
            ("vpc", .object([
                ("cidrs", .array(a.vpc.cidrs.map { .string("\(AddressText.text($0.address))/\($0.prefixLength)") })),
                ("inferred", .bool(a.vpc.inferred)),
            ])),
            ("counters", counters(a.counters, a.decodeAnomalies)),
        ])
        return JSONWriter.serialize(root)
    }

    // MARK: - Sections

    private func time(_ t: Timestamp?) -> JSONValue { t.map { .string(TimeText.iso8601($0)) } ?? .null }

    private func capture(_ c: CaptureMetadata) -> JSONValue {
        .object([
            ("path", .string(c.path)),
            ("format", .string(c.format)),
            ("linkTypes", .array(c.linkTypes.map(JSONValue.string))),
            ("packets", .int(c.packets)),
            ("bytes", .int(c.bytes)),
            ("firstPacket", time(c.firstPacket)),
            ("lastPacket", time(c.lastPacket)),
            ("truncated", .int(c.truncated)),
            ("undecodable", .int(c.undecodable)),
            ("warnings", .array(c.warnings.map(JSONValue.string))),
        ])
    }

    private func evidence(_ e: EvidenceItem) -> JSONValue {
        let fileIndex = Int(e.moment.ref.fileIndex)
        let file: JSONValue = context.captures.indices.contains(fileIndex)
            ? .string(context.captures[fileIndex].path) : .int(fileIndex)
        return .object([
            ("kind", .string(e.kind.rawValue)),
            ("file", file),
            ("frame", .int(e.moment.ref.number)),
            ("time", time(e.moment.time)),
            ("flow", .optionalInt(e.flowIndex)),
            ("dns", .optionalInt(e.dnsIndex)),
        ])
    }

    private func dns(_ d: AnalyzedDNS) -> JSONValue {
        let t = d.transaction
        return .object([
            ("time", time(t.responseOnly ? (t.response ?? t.query).time : t.query.time)),
            ("client", .string(AddressText.text(t.client))),
            ("resolver", .string(AddressText.text(t.resolver))),
            ("resolverClass", .string(d.resolverClass.rawValue)),
            ("transport", .string(t.transport.rawValue)),
            ("id", .int(Int64(t.id))),
            ("name", .string(t.name.text)),
            ("type", .string(ProtocolNames.dnsType(t.type))),
            ("rcode", t.rcode.map { .string(ProtocolNames.rcode($0)) } ?? .null),
            ("rcodeValue", t.rcode.map { .int(Int64($0)) } ?? .null),
            ("answers", .array(t.answers.map { rr in
                let data: JSONValue = switch rr.data {
                case .address(let a): .string(AddressText.text(a))
                case .cname(let n): .string(n.text)
                case .other: .null
                }
                return .object([
                    ("name", .string(rr.name.text)),
                    ("type", .string(ProtocolNames.dnsType(rr.type))),
                    ("data", data),
                    ("ttl", .int(Int64(rr.ttl))),
                ])
            })),
            ("addresses", .array(t.addresses.map { .string(AddressText.text($0)) })),
            ("status", .string(t.response != nil ? "answered" : "timeout")),
            ("rttMs", .milliseconds(t.rttMilliseconds)),
            ("ssm", .bool(d.isSSM)),
            ("service", .optionalString(d.endpoint?.service)),
            ("region", .optionalString(d.endpoint?.region)),
        ])
    }

    private func flow(_ f: AnalyzedFlow) -> JSONValue {
        let r = f.record
        let ch = r.clientHello
        return .object([
            ("start", time(r.first.time)),
            ("client", .string(AddressText.text(r.client))),
            ("clientPort", .int(Int64(r.clientPort))),
            ("server", .string(AddressText.text(r.server))),
            ("serverPort", .int(Int64(r.serverPort))),
            ("clientHello", .bool(ch != nil)),
            ("sni", .optionalString(context.sni(f))),
            ("alpn", .array((ch?.alpn ?? []).map { .string(Escape.wireBytes($0)) })),
            ("tlsVersion", .optionalString(r.serverHello.map { ProtocolNames.tlsVersion($0.negotiatedVersion) })),
            ("keyShareGroups", .array((ch?.keyShareGroups ?? []).map { .string(ProtocolNames.group($0)) })),
            ("postQuantum", .bool(ch?.offersPostQuantum ?? false)),
            ("connectHost", .optionalString(context.connectHost(f))),
            ("connectStatus", .optionalInt(r.connectStatus)),
            ("state", .string(r.state.rawValue)),
            ("synRetransmits", .int(r.synRetransmits)),
            ("handshakeMs", .milliseconds(r.handshakeMilliseconds)),
            ("bytesToServer", .int(r.bytesToServer)),
            ("bytesToClient", .int(r.bytesToClient)),
            ("packetsToServer", .int(r.packetsToServer)),
            ("packetsToClient", .int(r.packetsToClient)),
            ("partial", .bool(r.partial)),
            ("dns", .optionalInt(f.dnsIndex)),
            ("hostname", .optionalString(f.hostname?.text)),
            ("hostnameSource", .optionalString(f.hostnameSource?.rawValue)),
            ("ssm", .bool(f.isSSM)),
            ("service", .optionalString(f.endpoint?.service)),
            ("region", .optionalString(f.endpoint?.region)),
            ("addressClass", .string(f.addressClass.rawValue)),
            ("path", .string(f.path.rawValue)),
            ("label", .string(f.label.rawValue)),
            ("splitClientHello", .bool(f.splitClientHello)),
            ("firstFrame", .int(r.first.ref.number)),
            ("synFrames", .array(r.syns.map { .int($0.ref.number) })),
        ])
    }

    private func counters(_ c: FlowCounters, _ d: DecodeAnomalies) -> JSONValue {
        .object([
            ("tcpPackets", .int(c.tcpPackets)),
            ("udpPackets", .int(c.udpPackets)),
            ("flowsSeen", .int(c.flowsSeen)),
            ("flowsEvictedAtLimit", .int(c.flowsEvictedAtLimit)),
            ("flowsEvictedIdle", .int(c.flowsEvictedIdle)),
            ("flowsNotRetained", .int(c.flowsNotRetained)),
            ("dnsMessages", .int(c.dnsMessages)),
            ("dnsMalformed", .int(c.dnsMalformed)),
            ("dnsUnmatchedResponses", .int(c.dnsUnmatchedResponses)),
            ("dnsPendingEvicted", .int(c.dnsPendingEvicted)),
            ("dnsNotRetained", .int(c.dnsNotRetained)),
            ("firstBytesLimitHit", .int(c.firstBytesLimitHit)),
            ("unsupportedLinkType", .int(d.unsupportedLinkType)),
            ("notIP", .int(d.notIP)),
            ("otherTransport", .int(d.otherTransport)),
            ("truncated", .int(d.truncated)),
            ("malformed", .int(d.malformed)),
            ("fragmentsHeld", .int(d.fragmentsHeld)),
            ("fragmentsReassembled", .int(d.fragmentsReassembled)),
            ("fragmentsDropped", .int(d.fragmentsDropped)),
        ])
    }
}
