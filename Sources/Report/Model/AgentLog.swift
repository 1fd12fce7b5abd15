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

        switch finding.code {
        case .resolverBypassesEndpoint, .noEndpointNoRoute, .endpointUnreachable:
            for f in flows { add("\(url(f)): dial tcp \(dial(f)): i/o timeout") }
            if lines.isEmpty, let a = finding.addresses.first {
                add("Post \"https://\(fallbackHost)/\": dial tcp \(AddressText.endpoint(a, port: 443)): i/o timeout")
            }
        case .connectionRefused:
            for f in flows { add("\(url(f)): dial tcp \(dial(f)): connect: connection refused") }
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
}
