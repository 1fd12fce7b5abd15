import Correlate

// MARK: - The amazon-ssm-agent.log lines a finding produces

extension ReportContext {
    /// Lines amazon-ssm-agent.log shows for this finding (Go net and crypto/tls error text), at most two.
    func agentLogLines(for finding: Finding) -> [String] {
        let flows = finding.flowIndices.prefix(Self.sampleLimit).compactMap { flow($0) }
        let dnsItems = finding.dnsIndices.prefix(Self.sampleLimit).compactMap { dns($0) }
        let fallbackHost = finding.hostnames.first?.text ?? "ssm.\(region(of: finding) ?? "<region>").amazonaws.com"
        var lines: [String] = []
        func add(_ line: String) { if !lines.contains(line) && lines.count < 2 { lines.append(line) } }
        func url(_ f: AnalyzedFlow) -> String { "Post \"https://\(f.hostname?.text ?? fallbackHost)/\"" }
        func dial(_ f: AnalyzedFlow) -> String { AddressText.endpoint(f.record.server, port: f.record.serverPort) }
        // Go's http.Transport prefixes dial errors to a proxy with "proxyconnect tcp: ".
        func dialPrefix(_ f: AnalyzedFlow) -> String { f.path == .proxy ? "proxyconnect tcp: " : "" }

        switch finding.code {
        case .resolverBypassesEndpoint, .noEndpointNoRoute, .endpointUnreachable:
            // Go's net.Dial: an unanswered SYN times out, a SYN answered by RST is refused.
            func failure(_ label: FlowLabel) -> String { label == .refused ? "connect: connection refused" : "i/o timeout" }
            for f in flows { add("\(url(f)): \(dialPrefix(f))dial tcp \(dial(f)): \(failure(f.label))") }
            if lines.isEmpty, let a = finding.addresses.first {
                let label: FlowLabel = finding.labels.contains(.timeout) || !finding.labels.contains(.refused) ? .timeout : .refused
                add("Post \"https://\(fallbackHost)/\": dial tcp \(AddressText.endpoint(a, port: finding.ports.first ?? 443)): \(failure(label))")
            }
        case .connectionRefused:
            for f in flows {
                if f.record.connect != nil, let status = f.record.connectStatus, !(200...299).contains(status) {
                    // The proxy answered the CONNECT with an error: Go reports the status text.
                    add("\(url(f)): \(Self.httpStatusText(status))")
                } else {
                    add("\(url(f)): \(dialPrefix(f))dial tcp \(dial(f)): connect: connection refused")
                }
            }
        case .tlsFailure:
            for f in flows {
                if let alert = f.record.alert, f.record.alertFromServer {
                    add("\(url(f)): remote error: tls: \(ProtocolNames.alert(alert.description).go)")
                } else if f.record.alert != nil || f.record.serverHello != nil {
                    add("\(url(f)): tls: failed to verify certificate: x509: certificate signed by unknown authority")
                } else if f.record.serverReset != nil {
                    add("\(url(f)): read tcp \(AddressText.endpoint(f.record.client, port: f.record.clientPort))->\(dial(f)): read: connection reset by peer")
                } else {
                    add("\(url(f)): net/http: TLS handshake timeout")
                }
            }
        case .connectionReset:
            for f in flows {
                add("\(url(f)): read tcp \(AddressText.endpoint(f.record.client, port: f.record.clientPort))->\(dial(f)): read: connection reset by peer")
            }
        case .dnsUnreachable:
            for d in dnsItems {
                let t = d.transaction
                let resolver = AddressText.endpoint(t.resolver, port: t.resolverPort)
                add("dial tcp: lookup \(t.name.text) on \(resolver): read \(t.transport.rawValue) \(AddressText.endpoint(t.client, port: t.clientPort))->\(resolver): i/o timeout")
            }
        case .dnsError:
            for d in dnsItems {
                let t = d.transaction
                let resolver = AddressText.endpoint(t.resolver, port: t.resolverPort)
                let reason = t.rcode == DNSRcode.servFail || t.rcode == DNSRcode.refused ? "server misbehaving" : "no such host"
                add("dial tcp: lookup \(t.name.text) on \(resolver): \(reason)")
            }
        default:
            break
        }
        return lines
    }

    /// The reason phrase Go's http.Transport returns for a CONNECT answered with `status` (RFC 9110 §15).
    static func httpStatusText(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 407: "Proxy Authentication Required"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "\(status)"
        }
    }
}
