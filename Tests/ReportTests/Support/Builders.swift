import Correlate
import Flows  // ClientHelloInfo, ServerHelloInfo, TLSAlert, ConnectRequest: Correlate does not re-export them (yet)
@testable import Report

// MARK: - Building analysis values by hand

/// 2026-11-29T09:16:17.123456Z, the start of every scenario.
let scenarioStart = Timestamp(seconds: 1_795_943_777, nanoseconds: 123_456_000)

/// A moment `ms` milliseconds after the scenario start, at frame `frame` of file 0.
func at(_ ms: Double, frame: Int64) -> PacketMoment {
    PacketMoment(time: scenarioStart.adding(nanoseconds: Int64(ms * 1_000_000)), ref: PacketRef(fileIndex: 0, number: frame))
}

/// Parses dotted-quad text (tests only; traps on bad input by design of a test helper).
func v4(_ text: String) -> IPAddress {
    let parts = text.split(separator: ".").compactMap { UInt32($0) }
    precondition(parts.count == 4)
    return .v4(parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3])
}

/// Builds an IPv6 address from eight groups.
func v6(_ g: [UInt16]) -> IPAddress {
    precondition(g.count == 8)
    var high: UInt64 = 0, low: UInt64 = 0
    for i in 0..<4 { high = high << 16 | UInt64(g[i]); low = low << 16 | UInt64(g[i + 4]) }
    return .v6(high: high, low: low)
}

func endpoint(_ host: String) -> EndpointIdentity? {
    let parts = host.split(separator: ".")
    guard parts.count >= 4, host.hasSuffix(".amazonaws.com") else { return nil }
    return EndpointIdentity(service: String(parts[0]), region: String(parts[1]), partition: .aws, kind: .standard)
}

struct DNSSpec {
    var name: String
    var type: UInt16 = DNSType.a
    var resolver: IPAddress
    var resolverClass: ResolverClass
    var client = v4("10.0.1.25")
    var clientPort: UInt16 = 53011
    var id: UInt16 = 0x1a2b
    var query: PacketMoment
    var response: PacketMoment?
    var rcode: UInt16? = 0
    var addresses: [IPAddress] = []
    var cname: String? = nil
    var querySends = 1
}

func makeDNS(_ s: DNSSpec) -> AnalyzedDNS {
    var t = DNSTransaction(client: s.client, clientPort: s.clientPort, resolver: s.resolver, resolverPort: 53, transport: .udp,
                           id: s.id, name: DNSName(s.name), type: s.type, query: s.query)
    t.querySends = s.querySends
    t.response = s.response
    t.rcode = s.response == nil ? nil : s.rcode
    t.timedOut = s.response == nil
    var owner = DNSName(s.name)
    if let c = s.cname, s.response != nil {
        t.answers.append(DNSResourceRecord(name: owner, type: DNSType.cname, recordClass: 1, ttl: 60, data: .cname(DNSName(c))))
        owner = DNSName(c)
    }
    if s.response != nil {
        for a in s.addresses {
            let type: UInt16 = if case .v6 = a { DNSType.aaaa } else { DNSType.a }
            t.answers.append(DNSResourceRecord(name: owner, type: type, recordClass: 1, ttl: 60, data: .address(a)))
        }
    }
    let isPrivate: Bool = s.addresses.allSatisfy { a in
        if case .v4(let x) = a { return x >> 24 == 10 }
        return true
    }
    let ep = endpoint(s.name)
    return AnalyzedDNS(transaction: t, resolverClass: s.resolverClass, endpoint: ep, isSSM: ep != nil,
                       answerClass: s.addresses.isEmpty ? nil : (isPrivate ? .private : .public))
}

struct FlowSpec {
    var client = v4("10.0.1.25")
    var clientPort: UInt16
    var server: IPAddress
    var serverPort: UInt16 = 443
    var syns: [PacketMoment]
    var synAck: PacketMoment? = nil
    var last: PacketMoment? = nil
    var state: ConnState = .S0
    var hostname: String?
    var hostnameSource: HostnameSource? = .dns
    var dnsIndex: Int?
    var addressClass: AddressClass
    var path: FlowPath
    var label: FlowLabel
    var sni: String? = nil
    var clientHelloAt: PacketMoment? = nil
    var clientHelloSegments = 1
    var postQuantum = false
    var serverHelloAt: PacketMoment? = nil
    var establishedAt: PacketMoment? = nil
    var alert: TLSAlert? = nil
    var alertFromServer = true
    var alertAt: PacketMoment? = nil
    var serverReset: PacketMoment? = nil
    var clientReset: PacketMoment? = nil
    var connectHost: String? = nil
    var connectStatus: Int? = nil
    var bytes: (toServer: Int64, toClient: Int64) = (0, 0)
}

func makeFlow(_ s: FlowSpec) -> AnalyzedFlow {
    let first = s.syns.first ?? at(0, frame: 1)
    var r = TCPFlowRecord(client: s.client, clientPort: s.clientPort, server: s.server, serverPort: s.serverPort, first: first)
    r.syns = s.syns
    r.synCount = s.syns.count
    r.synAck = s.synAck
    r.state = s.state
    r.last = s.last ?? s.syns.last ?? first
    r.packetsToServer = Int64(s.syns.count) + (s.synAck == nil ? 0 : 6)
    r.packetsToClient = s.synAck == nil ? 0 : 6
    r.bytesToServer = s.bytes.toServer
    r.bytesToClient = s.bytes.toClient
    if let sni = s.sni ?? (s.clientHelloAt != nil ? s.hostname : nil) {
        let groups: [UInt16] = s.postQuantum ? [0x11EC, 0x001D] : [0x001D, 0x0017]
        r.clientHello = ClientHelloInfo(serverName: Array(sni.utf8), alpn: [Array("h2".utf8), Array("http/1.1".utf8)],
                                        legacyVersion: 0x0303, supportedVersions: [0x0304, 0x0303], keyShareGroups: groups,
                                        recordBytes: s.postQuantum ? 1_543 : 317, recordCount: 1)
        r.clientHelloCompleted = s.clientHelloAt
        r.clientHelloSegments = s.clientHelloSegments
        r.tls = .clientHelloSent
    }
    if let sh = s.serverHelloAt {
        r.serverHello = ServerHelloInfo(legacyVersion: 0x0303, selectedVersion: 0x0304, cipherSuite: 0x1301, isHelloRetryRequest: false)
        r.serverHelloAt = sh
        r.tls = .serverHelloSeen
    }
    if let e = s.establishedAt { r.establishedAt = e; r.tls = .established }
    if let a = s.alert { r.alert = a; r.alertFromServer = s.alertFromServer; r.alertAt = s.alertAt; r.tls = .alert }
    r.serverReset = s.serverReset
    r.clientReset = s.clientReset
    if let c = s.connectHost { r.connect = ConnectRequest(host: Array(c.utf8), port: 443); r.connectStatus = s.connectStatus }
    let ep = s.hostname.flatMap(endpoint)
    return AnalyzedFlow(record: r, dnsIndex: s.dnsIndex, hostname: s.hostname.map(DNSName.init), hostnameSource: s.hostname == nil ? nil : s.hostnameSource,
                        endpoint: ep, isSSM: ep != nil, addressClass: s.addressClass, path: s.path, label: s.label,
                        splitClientHello: s.clientHelloSegments > 1)
}

func captureMetadata(path: String = "/var/tmp/ssm-agent-issue.pcapng.gz", packets: Int64 = 4_213, end ms: Double = 62_000) -> CaptureMetadata {
    CaptureMetadata(path: path, format: "pcapng+gzip", linkTypes: ["EN10MB"], packets: packets, bytes: 1_204_331,
                    firstPacket: scenarioStart, lastPacket: at(ms, frame: packets).time, truncated: 0, undecodable: 0, warnings: [])
}

func counters(flows: Int64, dns: Int64) -> FlowCounters {
    var c = FlowCounters()
    c.tcpPackets = 3_900; c.udpPackets = 313; c.flowsSeen = flows; c.dnsMessages = dns
    return c
}
