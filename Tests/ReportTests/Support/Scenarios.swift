import Correlate
@testable import Report

// MARK: - Realistic analyses, built as Correlate would build them

enum Scenario: String, CaseIterable {
    case domainJoined = "domain-joined"
    case healthyEndpoint = "healthy-endpoint"
    case proxy
    case tlsFailure = "tls-failure"
    case dnsTimeout = "dns-timeout"
    case noSSM = "no-ssm"

    var analysis: Analysis {
        switch self {
        case .domainJoined: Scenarios.domainJoined()
        case .healthyEndpoint: Scenarios.healthyEndpoint()
        case .proxy: Scenarios.proxy()
        case .tlsFailure: Scenarios.tlsFailure()
        case .dnsTimeout: Scenarios.dnsTimeout()
        case .noSSM: Scenarios.noSSM()
        }
    }

    var captures: [CaptureMetadata] { [captureMetadata()] }
}

enum Scenarios {
    static let adDNS = v4("10.0.0.10")
    static let amazonDNS = v4("10.0.0.2")
    static let client = v4("10.0.1.25")
    static let vpc = VPCContext(cidrs: [IPNetwork(address: v4("10.0.0.0"), prefixLength: 16)], inferred: true)

    /// SYNs as Windows sends them: first, then retransmissions after 1, 3 and 7 seconds.
    static func synTrain(_ startMs: Double, frame: Int64) -> [PacketMoment] {
        [at(startMs, frame: frame), at(startMs + 1_000, frame: frame + 3), at(startMs + 3_000, frame: frame + 9),
         at(startMs + 7_000, frame: frame + 20)]
    }

    /// A Windows instance joined to AD asks the domain controller, gets public addresses, and times out.
    static func domainJoined() -> Analysis {
        let region = "ap-northeast-1"
        let dns = [
            makeDNS(DNSSpec(name: "ssm.\(region).amazonaws.com", resolver: adDNS, resolverClass: .other, id: 0x5c01,
                            query: at(0, frame: 12), response: at(18.4, frame: 13),
                            addresses: [v4("203.0.113.21"), v4("203.0.113.22")])),
            makeDNS(DNSSpec(name: "ec2messages.\(region).amazonaws.com", resolver: adDNS, resolverClass: .other, clientPort: 53012, id: 0x5c02,
                            query: at(40, frame: 15), response: at(57.9, frame: 16), addresses: [v4("203.0.113.41")])),
            makeDNS(DNSSpec(name: "ssmmessages.\(region).amazonaws.com", resolver: adDNS, resolverClass: .other, clientPort: 53013, id: 0x5c03,
                            query: at(20_100, frame: 88), response: at(20_121.25, frame: 89), addresses: [v4("203.0.113.31")])),
        ]
        let flows = [
            makeFlow(FlowSpec(clientPort: 49712, server: v4("203.0.113.21"), syns: synTrain(19.2, frame: 14),
                              last: at(7_019.2, frame: 34), hostname: "ssm.\(region).amazonaws.com", dnsIndex: 0,
                              addressClass: .public, path: .internet, label: .timeout)),
            makeFlow(FlowSpec(clientPort: 49713, server: v4("203.0.113.41"), syns: synTrain(58.8, frame: 18),
                              last: at(7_058.8, frame: 38), hostname: "ec2messages.\(region).amazonaws.com", dnsIndex: 1,
                              addressClass: .public, path: .internet, label: .timeout)),
            makeFlow(FlowSpec(clientPort: 49720, server: v4("203.0.113.22"), syns: synTrain(21_040, frame: 91),
                              last: at(28_040, frame: 111), hostname: "ssm.\(region).amazonaws.com", dnsIndex: 0,
                              addressClass: .public, path: .internet, label: .timeout)),
            makeFlow(FlowSpec(clientPort: 49721, server: v4("203.0.113.31"), syns: synTrain(20_122, frame: 90),
                              last: at(27_122, frame: 110), hostname: "ssmmessages.\(region).amazonaws.com", dnsIndex: 2,
                              addressClass: .public, path: .internet, label: .timeout)),
        ]
        let verdict = Finding(
            code: .resolverBypassesEndpoint, severity: .error,
            hostnames: ["ssm", "ec2messages", "ssmmessages"].map { DNSName("\($0).\(region).amazonaws.com") },
            resolvers: [adDNS], addresses: [v4("203.0.113.21"), v4("203.0.113.41"), v4("203.0.113.22"), v4("203.0.113.31")],
            flowIndices: [0, 1, 2, 3], dnsIndices: [0, 1, 2],
            evidence: [
                EvidenceItem(kind: .dnsResponse, moment: at(18.4, frame: 13), dnsIndex: 0),
                EvidenceItem(kind: .syn, moment: at(19.2, frame: 14), flowIndex: 0),
                EvidenceItem(kind: .synRetransmit, moment: at(7_019.2, frame: 34), flowIndex: 0),
                EvidenceItem(kind: .dnsResponse, moment: at(20_121.25, frame: 89), dnsIndex: 2),
                EvidenceItem(kind: .synRetransmit, moment: at(27_122, frame: 110), flowIndex: 3),
            ],
            remedies: [.route53InboundEndpointForwarder, .hostsFileEntries, .natGateway], region: region)
        let nonAmazon = Finding(code: .nonAmazonResolver, severity: .warning, resolvers: [adDNS], dnsIndices: [0, 1, 2],
                                evidence: [EvidenceItem(kind: .dnsQuery, moment: at(0, frame: 12), dnsIndex: 0)],
                                remedies: [.useAmazonProvidedDNS], region: region)
        let ec2 = Finding(code: .ec2messagesInUse, severity: .info, hostnames: [DNSName("ec2messages.\(region).amazonaws.com")],
                          flowIndices: [1], region: region)
        return Analysis(dns: dns, flows: flows, findings: [verdict, nonAmazon, ec2],
                        verdict: Verdict(code: .resolverBypassesEndpoint, severity: .error),
                        resolvers: [ResolverSummary(address: adDNS, resolverClass: .other, reason: .notAmazon, queries: 3, answered: 3, timeouts: 0)],
                        vpc: vpc, counters: counters(flows: 4, dns: 6), decodeAnomalies: DecodeAnomalies(),
                        captureStart: scenarioStart, captureEnd: at(62_000, frame: 4_213).time, includesAllTraffic: false)
    }

    /// AmazonProvidedDNS returns the endpoint's private addresses; TLS 1.3 with a post-quantum key share completes.
    static func healthyEndpoint() -> Analysis {
        let region = "eu-west-1"
        let endpointAddress = v4("10.0.2.147")
        let dns = [
            makeDNS(DNSSpec(name: "ssm.\(region).amazonaws.com", resolver: amazonDNS, resolverClass: .amazonProvided, id: 0x0101,
                            query: at(0, frame: 3), response: at(1.2, frame: 4),
                            addresses: [endpointAddress, v4("10.0.3.35")],
                            cname: "vpce-0a1b2c3d4e5f60718-abcdefgh.ssm.\(region).vpce.amazonaws.com")),
            makeDNS(DNSSpec(name: "ssm.\(region).amazonaws.com", type: DNSType.aaaa, resolver: amazonDNS, resolverClass: .amazonProvided,
                            clientPort: 53020, id: 0x0102, query: at(0.1, frame: 5), response: at(1.3, frame: 6))),
            makeDNS(DNSSpec(name: "ssmmessages.\(region).amazonaws.com", resolver: amazonDNS, resolverClass: .amazonProvided,
                            clientPort: 53021, id: 0x0103, query: at(512, frame: 40), response: at(513.1, frame: 41),
                            addresses: [v4("10.0.2.211")])),
        ]
        let flows = [
            makeFlow(FlowSpec(clientPort: 50110, server: endpointAddress, syns: [at(2.0, frame: 7)], synAck: at(2.6, frame: 8),
                              last: at(61_000, frame: 4_100), state: .S1, hostname: "ssm.\(region).amazonaws.com", dnsIndex: 0,
                              addressClass: .private, path: .vpcEndpoint, label: .vpcEndpoint,
                              clientHelloAt: at(3.4, frame: 11), clientHelloSegments: 2, postQuantum: true,
                              serverHelloAt: at(5.1, frame: 12), establishedAt: at(5.3, frame: 13), bytes: (48_211, 96_554))),
            makeFlow(FlowSpec(clientPort: 50112, server: v4("10.0.2.211"), syns: [at(514, frame: 42)], synAck: at(514.7, frame: 43),
                              last: at(61_500, frame: 4_150), state: .S1, hostname: "ssmmessages.\(region).amazonaws.com", dnsIndex: 2,
                              addressClass: .private, path: .vpcEndpoint, label: .vpcEndpoint,
                              clientHelloAt: at(515.5, frame: 46), clientHelloSegments: 2, postQuantum: true,
                              serverHelloAt: at(517.2, frame: 47), establishedAt: at(517.6, frame: 48), bytes: (12_002, 30_871))),
        ]
        let verdict = Finding(code: .healthyVPCEndpoint, severity: .info,
                              hostnames: [DNSName("ssm.\(region).amazonaws.com"), DNSName("ssmmessages.\(region).amazonaws.com")],
                              resolvers: [amazonDNS], addresses: [endpointAddress, v4("10.0.2.211")], flowIndices: [0, 1], dnsIndices: [0, 2],
                              evidence: [EvidenceItem(kind: .dnsResponse, moment: at(1.2, frame: 4), dnsIndex: 0),
                                         EvidenceItem(kind: .established, moment: at(5.3, frame: 13), flowIndex: 0)],
                              region: region)
        return Analysis(dns: dns, flows: flows, findings: [verdict], verdict: Verdict(code: .healthyVPCEndpoint, severity: .info),
                        resolvers: [ResolverSummary(address: amazonDNS, resolverClass: .amazonProvided, reason: .vpcBasePlusTwoInferred,
                                                    queries: 3, answered: 3, timeouts: 0)],
                        vpc: vpc, counters: counters(flows: 2, dns: 6), decodeAnomalies: DecodeAnomalies(),
                        captureStart: scenarioStart, captureEnd: at(62_000, frame: 4_213).time, includesAllTraffic: false)
    }

    /// The agent talks to an HTTP proxy with CONNECT; the proxy resolves the names itself.
    static func proxy() -> Analysis {
        let proxyAddress = v4("10.0.5.10")
        let host = "ssm.us-east-1.amazonaws.com"
        let flows = [
            makeFlow(FlowSpec(clientPort: 51000, server: proxyAddress, serverPort: 3128, syns: [at(0, frame: 1)], synAck: at(0.4, frame: 2),
                              last: at(30_000, frame: 900), state: .SF, hostname: host, hostnameSource: .connect,
                              addressClass: .private, path: .proxy, label: .proxy, sni: host,
                              clientHelloAt: at(9.0, frame: 7), serverHelloAt: at(151, frame: 9), establishedAt: at(152, frame: 10),
                              connectHost: host, connectStatus: 200, bytes: (9_876, 22_103))),
        ]
        let verdict = Finding(code: .healthyProxy, severity: .info, hostnames: [DNSName(host)], addresses: [proxyAddress],
                              flowIndices: [0], evidence: [EvidenceItem(kind: .connect, moment: at(0.4, frame: 2), flowIndex: 0),
                                                           EvidenceItem(kind: .established, moment: at(152, frame: 10), flowIndex: 0)],
                              region: "us-east-1")
        let noDNS = Finding(code: .noDNSSeen, severity: .info, hostnames: [DNSName(host)], flowIndices: [0], region: "us-east-1")
        return Analysis(dns: [], flows: flows, findings: [verdict, noDNS], verdict: Verdict(code: .healthyProxy, severity: .info),
                        resolvers: [], vpc: vpc, counters: counters(flows: 1, dns: 0), decodeAnomalies: DecodeAnomalies(),
                        captureStart: scenarioStart, captureEnd: at(31_000, frame: 950).time, includesAllTraffic: false)
    }

    /// A firewall drops the second segment of a post-quantum ClientHello; the handshake never completes.
    static func tlsFailure() -> Analysis {
        let region = "ap-northeast-1"
        let address = v4("10.0.2.58")
        let dns = [
            makeDNS(DNSSpec(name: "ssm.\(region).amazonaws.com", resolver: amazonDNS, resolverClass: .amazonProvided, id: 0x7e01,
                            query: at(0, frame: 20), response: at(0.9, frame: 21), addresses: [address])),
        ]
        let flows = [
            makeFlow(FlowSpec(clientPort: 40110, server: address, syns: [at(1.5, frame: 22)], synAck: at(2.1, frame: 23),
                              last: at(10_004, frame: 61), state: .RSTO, hostname: "ssm.\(region).amazonaws.com", dnsIndex: 0,
                              addressClass: .private, path: .vpcEndpoint, label: .tlsFailed,
                              clientHelloAt: at(2.6, frame: 26), clientHelloSegments: 2, postQuantum: true,
                              clientReset: at(10_004, frame: 61), bytes: (1_543, 0))),
            makeFlow(FlowSpec(clientPort: 40114, server: address, syns: [at(20_010, frame: 80)], synAck: at(20_010.6, frame: 81),
                              last: at(30_012, frame: 120), state: .RSTO, hostname: "ssm.\(region).amazonaws.com", dnsIndex: 0,
                              addressClass: .private, path: .vpcEndpoint, label: .tlsFailed,
                              clientHelloAt: at(20_011.2, frame: 84), clientHelloSegments: 2, postQuantum: true,
                              clientReset: at(30_012, frame: 120), bytes: (1_543, 0))),
        ]
        let verdict = Finding(code: .tlsFailure, severity: .error, hostnames: [DNSName("ssm.\(region).amazonaws.com")],
                              addresses: [address], flowIndices: [0, 1], dnsIndices: [0],
                              evidence: [EvidenceItem(kind: .synAck, moment: at(2.1, frame: 23), flowIndex: 0),
                                         EvidenceItem(kind: .clientHello, moment: at(2.6, frame: 26), flowIndex: 0),
                                         EvidenceItem(kind: .reset, moment: at(10_004, frame: 61), flowIndex: 0)],
                              remedies: [.disablePostQuantumKeyShare, .firewallClientHelloRule, .tlsInspectionBypass], region: region)
        return Analysis(dns: dns, flows: flows, findings: [verdict], verdict: Verdict(code: .tlsFailure, severity: .error),
                        resolvers: [ResolverSummary(address: amazonDNS, resolverClass: .amazonProvided, reason: .vpcBasePlusTwo,
                                                    queries: 1, answered: 1, timeouts: 0)],
                        vpc: VPCContext(cidrs: vpc.cidrs, inferred: false), counters: counters(flows: 2, dns: 2), decodeAnomalies: DecodeAnomalies(),
                        captureStart: scenarioStart, captureEnd: at(31_000, frame: 130).time, includesAllTraffic: false)
    }

    /// The configured DNS server never answers (IPv6 resolver to exercise RFC 5952 text).
    static func dnsTimeout() -> Analysis {
        let resolver = v6([0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0053])
        let client6 = v6([0x2001, 0x0db8, 0, 0x0001, 0, 0, 0, 0x0025])
        let region = "us-west-2"
        let dns = [
            makeDNS(DNSSpec(name: "ssm.\(region).amazonaws.com", type: DNSType.aaaa, resolver: resolver, resolverClass: .other,
                            client: client6, clientPort: 61001, id: 0x2222, query: at(0, frame: 5), querySends: 3)),
            makeDNS(DNSSpec(name: "ssm.\(region).amazonaws.com", type: DNSType.a, resolver: resolver, resolverClass: .other,
                            client: client6, clientPort: 61002, id: 0x2223, query: at(0.2, frame: 6), querySends: 3)),
        ]
        let verdict = Finding(code: .dnsUnreachable, severity: .error, hostnames: [DNSName("ssm.\(region).amazonaws.com")],
                              resolvers: [resolver], dnsIndices: [0, 1],
                              evidence: [EvidenceItem(kind: .dnsTimeout, moment: at(0, frame: 5), dnsIndex: 0),
                                         EvidenceItem(kind: .dnsTimeout, moment: at(0.2, frame: 6), dnsIndex: 1)],
                              remedies: [.useAmazonProvidedDNS, .checkNACLAndRoutes], region: region)
        return Analysis(dns: dns, flows: [], findings: [verdict], verdict: Verdict(code: .dnsUnreachable, severity: .error),
                        resolvers: [ResolverSummary(address: resolver, resolverClass: .other, reason: .notAmazon, queries: 2, answered: 0, timeouts: 2)],
                        vpc: VPCContext(cidrs: [], inferred: true), counters: counters(flows: 0, dns: 6), decodeAnomalies: DecodeAnomalies(),
                        captureStart: scenarioStart, captureEnd: at(15_000, frame: 40).time, includesAllTraffic: false)
    }

    /// Nothing to or about the SSM endpoints.
    static func noSSM() -> Analysis {
        let verdict = Finding(code: .noSSMTraffic, severity: .error, remedies: [.checkAgentRunning, .captureLonger])
        return Analysis(dns: [], flows: [], findings: [verdict], verdict: Verdict(code: .noSSMTraffic, severity: .error),
                        resolvers: [], vpc: VPCContext(cidrs: [], inferred: true), counters: counters(flows: 12, dns: 40),
                        decodeAnomalies: DecodeAnomalies(), captureStart: scenarioStart, captureEnd: at(5_000, frame: 300).time,
                        includesAllTraffic: false)
    }
}
