import Flows

/// Turns flow-tracking results into an `Analysis`: DNS matched to flows, labels, findings, verdict.
public enum Correlator {
    /// Runs the whole correlation. Never fails: an empty result gives the `noSSMTraffic` verdict.
    ///
    /// Steps: identify DNS names; match each flow to the DNS answer that gave its server address
    /// (for a flow seen mid-stream without an earlier answer, the first later answer for it);
    /// name and identify flows; take the VPC CIDRs from the options or infer them from the SSM
    /// clients and the resolvers they ask; class addresses and resolvers; label flows; select the
    /// output (all traffic, or SSM only plus the DNS those flows matched), sorted by time; summarise
    /// resolvers and endpoints; compute findings and the verdict from the SSM part.
    public static func analyze(_ result: FlowsResult, options: CorrelationOptions) -> Analysis {
        let inputDNS = result.dns
        var identities = IdentityCache()
        let dnsEndpoints = inputDNS.map { identities.identify(question: $0.name, answers: $0.answers) }

        // MARK: Match flows to DNS and name them
        let answerIndex = DNSAnswerIndex(inputDNS, ttlSlackSeconds: options.ttlSlackSeconds)
        let named: [NamedFlow] = result.flows.map { record in
            let at = record.syns.first?.time ?? record.first.time
            let matched = answerIndex.match(client: record.client, server: record.server, at: at)
                ?? (record.partial ? answerIndex.firstAnswer(client: record.client, server: record.server, after: at) : nil)
            return NamedFlow(record: record, matchedDNS: matched, dnsEndpoint: matched.flatMap { dnsEndpoints[$0] },
                             dnsName: matched.map { inputDNS[$0].name }, identities: &identities)
        }

        // MARK: VPC context and classes
        let vpc = vpcContext(options: options, dns: inputDNS, dnsEndpoints: dnsEndpoints, flows: named)
        let classifier = AddressClassifier(vpc: vpc)
        let labeler = FlowLabeler(captureEnd: result.captureEnd)

        // MARK: Output selection, sorted by time
        let flowOrder = result.flows.indices
            .filter { options.includeAllTraffic || named[$0].endpoint != nil }
            .sorted { (result.flows[$0].first.time, $0) < (result.flows[$1].first.time, $1) }
        let referencedDNS = Set(flowOrder.compactMap { named[$0].matchedDNS })
        let dnsOrder = inputDNS.indices
            .filter { options.includeAllTraffic || dnsEndpoints[$0] != nil || referencedDNS.contains($0) }
            .sorted { (inputDNS[$0].query.time, $0) < (inputDNS[$1].query.time, $1) }
        var outputDNSIndex: [Int: Int] = [:]
        for (output, input) in dnsOrder.enumerated() { outputDNSIndex[input] = output }

        let dns: [AnalyzedDNS] = dnsOrder.map { input in
            let transaction = inputDNS[input]
            let addresses = transaction.addresses
            let answerClass: AddressClass? = addresses.isEmpty ? nil
                : (addresses.contains { classifier.classify($0) == .public } ? .public : .private)
            return AnalyzedDNS(transaction: transaction, resolverClass: classifier.classifyResolver(transaction.resolver).0,
                               endpoint: dnsEndpoints[input], isSSM: dnsEndpoints[input] != nil, answerClass: answerClass)
        }
        let flows: [AnalyzedFlow] = flowOrder.map { input in
            let flow = named[input]
            let addressClass = classifier.classify(flow.record.server)
            let path = labeler.path(of: flow.record, serverClass: addressClass)
            return AnalyzedFlow(record: flow.record, dnsIndex: flow.matchedDNS.flatMap { outputDNSIndex[$0] },
                                hostname: flow.hostname, hostnameSource: flow.hostnameSource, endpoint: flow.endpoint,
                                isSSM: flow.endpoint != nil, addressClass: addressClass, path: path,
                                label: labeler.label(of: flow.record, path: path),
                                splitClientHello: FlowLabeler.splitClientHello(flow.record))
        }

        // MARK: Summaries, findings, verdict
        let resolvers = ResolverSummaries.make(inputDNS, dnsEndpoints: dnsEndpoints, classifier: classifier)
        let endpoints = EndpointSummaries.make(flows: flows, dns: dns)
        let rules = FindingRules(dns: dns, flows: flows, endpoints: endpoints, counters: result.counters,
                                 decodeAnomalies: result.decodeAnomalies)
        let (findings, verdict) = rules.evaluate()

        var analysis = Analysis(dns: dns, flows: flows, findings: findings, verdict: verdict, resolvers: resolvers, vpc: vpc,
                                counters: result.counters, decodeAnomalies: result.decodeAnomalies,
                                captureStart: result.captureStart, captureEnd: result.captureEnd,
                                includesAllTraffic: options.includeAllTraffic)
        analysis.region = mostCommon(flows.compactMap { $0.isSSM ? $0.endpoint?.region : nil }
            + dns.compactMap { $0.isSSM ? $0.endpoint?.region : nil })
        analysis.endpoints = endpoints
        return analysis
    }

    // MARK: - VPC

    /// The given CIDRs, or those inferred from the SSM clients (senders of SSM DNS queries and of
    /// SYNs of SSM flows) and every resolver those clients ask. With no SSM client at all, every
    /// DNS client counts (so AmazonProvidedDNS is still recognised in a capture without SSM).
    static func vpcContext(options: CorrelationOptions, dns: [DNSTransaction], dnsEndpoints: [EndpointIdentity?],
                           flows: [NamedFlow]) -> VPCContext {
        if !options.vpcCIDRs.isEmpty { return VPCContext(cidrs: options.vpcCIDRs, inferred: false) }
        // Transactions are read field by field by index: a `for transaction in dns` loop copies each
        // one (retaining its arrays), thousands of times on a busy capture.
        var clients: Set<IPAddress> = []
        for index in dns.indices where index < dnsEndpoints.count && dnsEndpoints[index] != nil && !dns[index].responseOnly {
            clients.insert(dns[index].client)
        }
        for flow in flows where flow.endpoint != nil && !flow.record.partial { clients.insert(flow.record.client) }
        if clients.isEmpty {
            for index in dns.indices where !dns[index].responseOnly { clients.insert(dns[index].client) }
        }
        var pairs: Set<ClientResolver> = []
        for index in dns.indices where clients.contains(dns[index].client) {
            pairs.insert(ClientResolver(client: dns[index].client, resolver: dns[index].resolver))
        }
        let ordered = pairs.sorted { ($0.client, $0.resolver) < ($1.client, $1.resolver) }
        let cidrs = VPCInference.infer(clientResolverPairs: ordered.map { ($0.client, $0.resolver) })
        return VPCContext(cidrs: cidrs, inferred: !cidrs.isEmpty)
    }

    private struct ClientResolver: Hashable {
        var client: IPAddress
        var resolver: IPAddress
    }
}

// MARK: - Naming a flow

/// A flow with its DNS match and hostname, before the VPC context is known.
struct NamedFlow {
    var record: TCPFlowRecord
    /// Index into the input DNS transactions.
    var matchedDNS: Int?
    var hostname: DNSName?
    var hostnameSource: HostnameSource?
    var endpoint: EndpointIdentity?

    /// Hostname from the SNI, else the CONNECT target, else the matched DNS question. The endpoint
    /// is the hostname's; for a DNS hostname, the CNAME chain's.
    init(record: TCPFlowRecord, matchedDNS: Int?, dnsEndpoint: EndpointIdentity?, dnsName: DNSName?, identities: inout IdentityCache) {
        self.record = record
        self.matchedDNS = matchedDNS
        if let sni = record.clientHello?.serverName, !sni.isEmpty {
            hostname = Self.lowercased(sni); hostnameSource = .sni
        } else if let host = record.connect?.host, !host.isEmpty {
            hostname = Self.lowercased(host); hostnameSource = .connect
        } else if let dnsName {
            hostname = dnsName; hostnameSource = .dns
        }
        endpoint = hostname.flatMap { identities.identify($0) }
        if endpoint == nil, hostnameSource == .dns { endpoint = dnsEndpoint }
    }

    private static func lowercased(_ bytes: [UInt8]) -> DNSName {
        var name = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        if name.last == UInt8(ascii: ".") { name.removeLast() }
        return DNSName(bytes: name)
    }
}
