import Flows

// The contract between Correlate and Report: every flow labelled, findings with structured
// evidence, one verdict. No sentences here: Report words them, in English or Japanese.

public typealias Timestamp = Flows.Timestamp
public typealias PacketRef = Flows.PacketRef
public typealias PacketMoment = Flows.PacketMoment
public typealias IPAddress = Flows.IPAddress
public typealias DNSName = Flows.DNSName
public typealias DNSResourceRecord = Flows.DNSResourceRecord
public typealias DNSRecordData = Flows.DNSRecordData
public typealias DNSType = Flows.DNSType
public typealias DNSRcode = Flows.DNSRcode
public typealias DNSTransaction = Flows.DNSTransaction
public typealias DNSTransport = Flows.DNSTransport
public typealias TCPFlowRecord = Flows.TCPFlowRecord
public typealias ConnState = Flows.ConnState
public typealias TLSProgress = Flows.TLSProgress
public typealias FlowCounters = Flows.FlowCounters
public typealias FlowLimits = Flows.FlowLimits
public typealias DecodeAnomalies = Flows.DecodeAnomalies
public typealias FlowsResult = Flows.FlowsResult
public typealias ClientHelloInfo = Flows.ClientHelloInfo
public typealias ServerHelloInfo = Flows.ServerHelloInfo
public typealias TLSAlert = Flows.TLSAlert
public typealias ConnectRequest = Flows.ConnectRequest

// MARK: - Endpoint identity

/// AWS partitions the SSM agent knows.
public enum Partition: String, Sendable, Hashable, CaseIterable {
    case aws = "aws"
    case awsCN = "aws-cn"
    case awsUSGov = "aws-us-gov"
    case awsISO = "aws-iso"
    case awsISOB = "aws-iso-b"
    case awsISOF = "aws-iso-f"
    case awsISOE = "aws-iso-e"
    case awsEUSC = "aws-eusc"
}

/// Which form of an endpoint name was used.
public enum EndpointNameKind: String, Sendable, Hashable {
    /// `service.region.domain`
    case standard
    /// `service-fips.region.domain`
    case fips
    /// `service.region.api.aws` and other dual-stack names
    case dualStack = "dual-stack"
    /// `vpce-...service.region.vpce.amazonaws.com`
    case vpcEndpoint = "vpc-endpoint"
}

/// An AWS service endpoint a name refers to.
public struct EndpointIdentity: Sendable, Hashable {
    /// `ssm`, `ssmmessages`, `ec2messages`, `s3`, `kms`, `logs`, `monitoring`, `sts`, `ec2`.
    public var service: String
    public var region: String
    public var partition: Partition
    public var kind: EndpointNameKind
    public init(service: String, region: String, partition: Partition, kind: EndpointNameKind) {
        self.service = service; self.region = region; self.partition = partition; self.kind = kind
    }
    /// True for the three endpoints the agent needs (`ssm`, `ssmmessages`, `ec2messages`).
    public var isCoreSSM: Bool { ["ssm", "ssmmessages", "ec2messages"].contains(service) }
}

// MARK: - Addresses and resolvers

/// An IPv4 or IPv6 prefix such as 10.0.0.0/16.
public struct IPNetwork: Sendable, Hashable {
    public var address: IPAddress
    public var prefixLength: Int
    public init(address: IPAddress, prefixLength: Int) { self.address = address; self.prefixLength = prefixLength }
}

/// Private (RFC 1918, ULA, 100.64.0.0/10, the VPC's CIDRs) or public.
public enum AddressClass: String, Sendable, Hashable {
    case `private`
    case `public`
}

/// Whether a resolver is AmazonProvidedDNS.
public enum ResolverClass: String, Sendable, Hashable {
    case amazonProvided = "amazon-provided"
    case other
}

/// Why a resolver was classed as AmazonProvidedDNS.
public enum ResolverClassReason: String, Sendable, Hashable {
    /// 169.254.169.253
    case linkLocal = "link-local"
    /// fd00:ec2::253
    case ipv6 = "ipv6"
    /// VPC base + 2 of a CIDR given with --vpc-cidr.
    case vpcBasePlusTwo = "vpc-base-plus-two"
    /// VPC base + 2 of a CIDR inferred from the client's addresses.
    case vpcBasePlusTwoInferred = "vpc-base-plus-two-inferred"
    /// Not AmazonProvidedDNS.
    case notAmazon = "not-amazon"
}

/// A resolver the capture shows being asked.
public struct ResolverSummary: Sendable, Hashable {
    public var address: IPAddress
    public var resolverClass: ResolverClass
    public var reason: ResolverClassReason
    public var queries: Int
    public var answered: Int
    public var timeouts: Int
    /// Server ports the resolver was asked on (53 normally), ascending.
    public var ports: [UInt16] = []
    /// Queries for catalog (SSM) names.
    public var ssmQueries: Int = 0
    /// Responses with a non-zero rcode.
    public var errors: Int = 0
    public init(address: IPAddress, resolverClass: ResolverClass, reason: ResolverClassReason, queries: Int, answered: Int, timeouts: Int) {
        self.address = address; self.resolverClass = resolverClass; self.reason = reason
        self.queries = queries; self.answered = answered; self.timeouts = timeouts
    }
}

/// The VPC CIDRs used to class addresses and find VPC base + 2.
public struct VPCContext: Sendable, Hashable {
    public var cidrs: [IPNetwork]
    /// True when the CIDRs were inferred from the client's addresses rather than given.
    public var inferred: Bool
    public init(cidrs: [IPNetwork], inferred: Bool) { self.cidrs = cidrs; self.inferred = inferred }
}

// MARK: - Flows and DNS, analysed

/// The path a flow took.
public enum FlowPath: String, Sendable, Hashable {
    case vpcEndpoint = "vpc-endpoint"
    case internet
    case proxy
    case unknown
}

/// What happened to a flow.
public enum FlowLabel: String, Sendable, Hashable, CaseIterable {
    case vpcEndpoint = "vpc-endpoint"
    case natInternet = "nat-internet"
    case proxy
    case timeout
    case refused
    case tlsFailed = "tls-failed"
    case reset
    case incomplete
}

/// Where a flow's hostname came from.
public enum HostnameSource: String, Sendable, Hashable {
    case sni, connect, dns
}

/// A TCP flow with its DNS match, identity and label.
public struct AnalyzedFlow: Sendable {
    public var record: TCPFlowRecord
    /// Index into `Analysis.dns` of the answer this flow's server address came from.
    public var dnsIndex: Int?
    public var hostname: DNSName?
    public var hostnameSource: HostnameSource?
    public var endpoint: EndpointIdentity?
    /// True when the hostname is an SSM endpoint (any catalog service).
    public var isSSM: Bool
    public var addressClass: AddressClass
    public var path: FlowPath
    public var label: FlowLabel
    /// True when the ClientHello took two or more TCP segments.
    public var splitClientHello: Bool
    public init(record: TCPFlowRecord, dnsIndex: Int?, hostname: DNSName?, hostnameSource: HostnameSource?, endpoint: EndpointIdentity?,
                isSSM: Bool, addressClass: AddressClass, path: FlowPath, label: FlowLabel, splitClientHello: Bool) {
        self.record = record; self.dnsIndex = dnsIndex; self.hostname = hostname; self.hostnameSource = hostnameSource
        self.endpoint = endpoint; self.isSSM = isSSM; self.addressClass = addressClass; self.path = path
        self.label = label; self.splitClientHello = splitClientHello
    }
}

/// A DNS transaction with its resolver class and endpoint identity.
public struct AnalyzedDNS: Sendable {
    public var transaction: DNSTransaction
    public var resolverClass: ResolverClass
    /// The endpoint the question (or a CNAME in its answer) names, if any.
    public var endpoint: EndpointIdentity?
    public var isSSM: Bool
    /// Class of the answer's final addresses: nil when there are none; `.public` if any is public.
    public var answerClass: AddressClass?
    public init(transaction: DNSTransaction, resolverClass: ResolverClass, endpoint: EndpointIdentity?, isSSM: Bool, answerClass: AddressClass?) {
        self.transaction = transaction; self.resolverClass = resolverClass; self.endpoint = endpoint
        self.isSSM = isSSM; self.answerClass = answerClass
    }
}

/// One SSM hostname seen in the capture and how connecting to it went.
public struct EndpointSummary: Sendable {
    public var hostname: DNSName
    public var endpoint: EndpointIdentity
    public var purpose: ServicePurpose
    /// Indices into `Analysis.flows` and `Analysis.dns`.
    public var flowIndices: [Int]
    public var dnsIndices: [Int]
    /// Server addresses the flows went to, and addresses the DNS answers gave.
    public var addresses: [IPAddress]
    public var resolvers: [IPAddress]
    /// Flows labelled vpc-endpoint, nat-internet or proxy.
    public var established: Int
    /// Flows labelled timeout, refused, tls-failed or reset.
    public var failed: Int
    public var incomplete: Int
    /// Label of the last flow that reached a conclusion (not incomplete).
    public var lastConclusiveLabel: FlowLabel?
    /// True when the last conclusive flow established.
    public var working: Bool { lastConclusiveLabel?.isEstablished ?? false }
    public init(hostname: DNSName, endpoint: EndpointIdentity, purpose: ServicePurpose, flowIndices: [Int], dnsIndices: [Int],
                addresses: [IPAddress], resolvers: [IPAddress], established: Int, failed: Int, incomplete: Int,
                lastConclusiveLabel: FlowLabel?) {
        self.hostname = hostname; self.endpoint = endpoint; self.purpose = purpose; self.flowIndices = flowIndices
        self.dnsIndices = dnsIndices; self.addresses = addresses; self.resolvers = resolvers; self.established = established
        self.failed = failed; self.incomplete = incomplete; self.lastConclusiveLabel = lastConclusiveLabel
    }
}

extension FlowLabel {
    /// vpc-endpoint, nat-internet, proxy: the server finished its handshake.
    public var isEstablished: Bool { self == .vpcEndpoint || self == .natInternet || self == .proxy }
    /// timeout, refused, tls-failed, reset.
    public var isFailure: Bool { self == .timeout || self == .refused || self == .tlsFailed || self == .reset }
}

// MARK: - Findings and verdict

public enum Severity: String, Sendable, Hashable, Comparable {
    case info, warning, error
    private var rank: Int { switch self { case .info: 0; case .warning: 1; case .error: 2 } }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Every finding and verdict ssmpath can reach. Report holds the words for each.
public enum FindingCode: String, Sendable, Hashable, CaseIterable {
    // Root causes (verdicts), most severe first.
    case resolverBypassesEndpoint = "resolver-bypasses-endpoint"
    case noEndpointNoRoute = "no-endpoint-no-route"
    case endpointUnreachable = "endpoint-unreachable"
    case connectionRefused = "connection-refused"
    case tlsFailure = "tls-failure"
    case connectionReset = "connection-reset"
    case dnsUnreachable = "dns-unreachable"
    case dnsError = "dns-error"
    case noSSMTraffic = "no-ssm-traffic"
    case healthyVPCEndpoint = "healthy-vpc-endpoint"
    case healthyInternet = "healthy-internet"
    case healthyProxy = "healthy-proxy"
    // Warnings and notes alongside.
    case resolverFallback = "resolver-fallback"
    case nonAmazonResolver = "non-amazon-resolver"
    case noDNSSeen = "no-dns-seen"
    case ec2messagesInUse = "ec2messages-in-use"
    case captureIncomplete = "capture-incomplete"
    case limitsHit = "limits-hit"
}

extension FindingCode {
    /// Root causes in verdict precedence (the first decisive one present is the verdict).
    public static let rootCausePrecedence: [FindingCode] = [
        .resolverBypassesEndpoint, .noEndpointNoRoute, .endpointUnreachable, .connectionRefused, .tlsFailure,
        .connectionReset, .dnsUnreachable, .dnsError,
    ]
    /// True for the codes that can be a failing verdict's root cause.
    public var isRootCause: Bool { Self.rootCausePrecedence.contains(self) }
    /// True for healthy-vpc-endpoint, healthy-internet, healthy-proxy.
    public var isHealthy: Bool { self == .healthyVPCEndpoint || self == .healthyInternet || self == .healthyProxy }
}

/// Remedies Report can describe, in the order a finding lists them.
public enum RemedyCode: String, Sendable, Hashable, CaseIterable {
    case route53InboundEndpointForwarder = "route53-inbound-endpoint-forwarder"
    case hostsFileEntries = "hosts-file-entries"
    case natGateway = "nat-gateway"
    case createInterfaceEndpoints = "create-interface-endpoints"
    case endpointSecurityGroup = "endpoint-security-group"
    case checkNACLAndRoutes = "check-nacl-and-routes"
    case checkProxyOrFirewall = "check-proxy-or-firewall"
    case tlsInspectionBypass = "tls-inspection-bypass"
    case disablePostQuantumKeyShare = "disable-post-quantum-key-share"
    case firewallClientHelloRule = "firewall-client-hello-rule"
    case useAmazonProvidedDNS = "use-amazon-provided-dns"
    case checkDNSRecords = "check-dns-records"
    case checkAgentRunning = "check-agent-running"
    case captureLonger = "capture-longer"
    case raiseLimits = "raise-limits"
}

/// A packet a person can find in Wireshark, and what it shows.
public struct EvidenceItem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case dnsQuery = "dns-query"
        case dnsResponse = "dns-response"
        case dnsTimeout = "dns-timeout"
        case syn
        case synRetransmit = "syn-retransmit"
        case synAck = "syn-ack"
        case reset
        case clientHello = "client-hello"
        case serverHello = "server-hello"
        case alert
        case connect
        case established
    }
    public var kind: Kind
    public var moment: PacketMoment
    /// Index into `Analysis.flows` or `Analysis.dns`.
    public var flowIndex: Int?
    public var dnsIndex: Int?
    public init(kind: Kind, moment: PacketMoment, flowIndex: Int? = nil, dnsIndex: Int? = nil) {
        self.kind = kind; self.moment = moment; self.flowIndex = flowIndex; self.dnsIndex = dnsIndex
    }
}

/// One finding: what, about which names, resolvers and addresses, with evidence and remedies.
public struct Finding: Sendable {
    public var code: FindingCode
    public var severity: Severity
    /// Hostnames concerned (endpoint names).
    public var hostnames: [DNSName]
    public var resolvers: [IPAddress]
    /// Server addresses concerned.
    public var addresses: [IPAddress]
    /// Indices into `Analysis.flows` and `Analysis.dns`.
    public var flowIndices: [Int]
    public var dnsIndices: [Int]
    public var evidence: [EvidenceItem]
    public var remedies: [RemedyCode]
    /// Region of the endpoints concerned, if known.
    public var region: String?
    /// Server ports of the flows concerned, ascending (for a display filter).
    public var ports: [UInt16] = []
    /// Labels of the flows concerned, in `FlowLabel` order.
    public var labels: [FlowLabel] = []
    /// Client (instance) addresses of the flows and DNS transactions concerned.
    public var clients: [IPAddress] = []
    public init(code: FindingCode, severity: Severity, hostnames: [DNSName] = [], resolvers: [IPAddress] = [],
                addresses: [IPAddress] = [], flowIndices: [Int] = [], dnsIndices: [Int] = [],
                evidence: [EvidenceItem] = [], remedies: [RemedyCode] = [], region: String? = nil) {
        self.code = code; self.severity = severity; self.hostnames = hostnames; self.resolvers = resolvers
        self.addresses = addresses; self.flowIndices = flowIndices; self.dnsIndices = dnsIndices
        self.evidence = evidence; self.remedies = remedies; self.region = region
    }
}

/// The one root cause, or the healthy path. How it is chosen when causes mix (a failing core
/// endpoint beats working ones; then resolver-bypasses-endpoint, no-endpoint-no-route,
/// endpoint-unreachable, connection-refused, tls-failure, connection-reset, dns-unreachable,
/// dns-error; then the healthy path with most core flows; else no-ssm-traffic) is documented in
/// Findings/FindingRules.swift.
public struct Verdict: Sendable, Hashable {
    public var code: FindingCode
    public var severity: Severity
    public init(code: FindingCode, severity: Severity) { self.code = code; self.severity = severity }
}

/// Options for correlation.
public struct CorrelationOptions: Sendable {
    /// VPC CIDRs given with --vpc-cidr; when empty they are inferred from the client's addresses.
    public var vpcCIDRs: [IPNetwork]
    /// Seconds a DNS answer stays usable past its TTL when matching flows.
    public var ttlSlackSeconds: Int64
    /// Keep every DNS transaction and every TLS/443 flow in the output, not only SSM ones.
    public var includeAllTraffic: Bool
    public init(vpcCIDRs: [IPNetwork] = [], ttlSlackSeconds: Int64 = 30, includeAllTraffic: Bool = false) {
        self.vpcCIDRs = vpcCIDRs; self.ttlSlackSeconds = ttlSlackSeconds; self.includeAllTraffic = includeAllTraffic
    }
}

/// The whole analysis, ready for a report.
public struct Analysis: Sendable {
    /// DNS transactions in the output (all with --all, else those for SSM names), by query time.
    public var dns: [AnalyzedDNS]
    /// Flows in the output (all retained with --all, else SSM ones), by first packet time.
    public var flows: [AnalyzedFlow]
    /// Findings, most severe first; the verdict's finding is first.
    public var findings: [Finding]
    public var verdict: Verdict
    public var resolvers: [ResolverSummary]
    public var vpc: VPCContext
    public var counters: FlowCounters
    public var decodeAnomalies: DecodeAnomalies
    public var captureStart: Timestamp?
    public var captureEnd: Timestamp?
    public var includesAllTraffic: Bool
    /// The region most SSM names in the capture are in (for `EndpointCatalog.names(region:)`).
    public var region: String? = nil
    /// Per SSM hostname: its flows and DNS, and how its flows ended; by hostname.
    public var endpoints: [EndpointSummary] = []
    public init(dns: [AnalyzedDNS], flows: [AnalyzedFlow], findings: [Finding], verdict: Verdict, resolvers: [ResolverSummary],
                vpc: VPCContext, counters: FlowCounters, decodeAnomalies: DecodeAnomalies,
                captureStart: Timestamp?, captureEnd: Timestamp?, includesAllTraffic: Bool) {
        self.dns = dns; self.flows = flows; self.findings = findings; self.verdict = verdict; self.resolvers = resolvers
        self.vpc = vpc; self.counters = counters; self.decodeAnomalies = decodeAnomalies
        self.captureStart = captureStart; self.captureEnd = captureEnd; self.includesAllTraffic = includesAllTraffic
    }
}
