@testable import Correlate
import Testing

// Builders for constructed Flows output: addresses from text, moments from seconds, DNS
// transactions and TCP flow records in the shapes the lab scenarios produce.

// MARK: - Addresses and moments

/// An address from text; a test that writes a bad one fails.
func ip(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> IPAddress {
    guard let address = IPAddressText.parse(text) else {
        Issue.record("bad address \(text)", sourceLocation: sourceLocation)
        return .v4(0)
    }
    return address
}

func net(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> IPNetwork {
    guard let network = IPNetwork(text) else {
        Issue.record("bad network \(text)", sourceLocation: sourceLocation)
        return IPNetwork(address: .v4(0), prefixLength: 0)
    }
    return network
}

/// Capture time base: 2026-11-29T00:00:00Z.
let epoch: Int64 = 1_795_910_400

/// A moment `seconds` after the epoch; the frame number is the millisecond offset + 1, so moments
/// are distinct and ordered like their times.
func at(_ seconds: Double) -> PacketMoment {
    let nanos = Int64((seconds * 1_000_000_000).rounded())
    return PacketMoment(time: Timestamp(seconds: epoch, nanoseconds: nanos),
                        ref: PacketRef(fileIndex: 0, number: Int64((seconds * 1000).rounded()) + 1))
}

func time(_ seconds: Double) -> Timestamp { at(seconds).time }

func seconds(of moment: PacketMoment) -> Double {
    Double(moment.time.nanoseconds - epoch * 1_000_000_000) / 1e9
}

// MARK: - DNS

let instance = "10.0.1.10"
let vpcResolver = "10.0.0.2"
let adResolver = "10.0.2.10"

/// A DNS transaction: answered (rcode and addresses, optional CNAME first) or timed out.
func dnsTx(_ name: String, type: UInt16 = DNSType.a, client: String = instance, resolver: String = vpcResolver,
           at seconds: Double, answers: [String] = [], cname: String? = nil, ttl: UInt32 = 60,
           rcode: UInt16 = DNSRcode.noError, timedOut: Bool = false) -> DNSTransaction {
    var t = DNSTransaction(client: ip(client), clientPort: 40000, resolver: ip(resolver), resolverPort: 53,
                           transport: .udp, id: 0x1234, name: DNSName(name), type: type, query: at(seconds))
    if timedOut {
        t.timedOut = true
        t.querySends = 2
        return t
    }
    t.response = at(seconds + 0.002)
    t.rcode = rcode
    var owner = DNSName(name)
    if let cname {
        t.answers.append(DNSResourceRecord(name: owner, type: DNSType.cname, recordClass: 1, ttl: ttl, data: .cname(DNSName(cname))))
        owner = DNSName(cname)
    }
    for answer in answers {
        let address = ip(answer)
        let recordType: UInt16 = if case .v4 = address { DNSType.a } else { DNSType.aaaa }
        t.answers.append(DNSResourceRecord(name: owner, type: recordType, recordClass: 1, ttl: ttl, data: .address(address)))
    }
    return t
}

// MARK: - TCP flows

func makeClientHello(_ sni: String?, postQuantum: Bool = true) -> ClientHelloInfo {
    ClientHelloInfo(serverName: sni.map { Array($0.utf8) }, alpn: [Array("http/1.1".utf8)], legacyVersion: 0x0303,
                    supportedVersions: [0x0304, 0x0303], keyShareGroups: postQuantum ? [0x11EC, 0x001D] : [0x001D],
                    recordBytes: postQuantum ? 1_620 : 320, recordCount: 1)
}

/// A flow whose first SYN is at `seconds`, nothing answered yet (state S0).
func synOnly(to server: String, port: UInt16 = 443, from client: String = instance, at seconds: Double) -> TCPFlowRecord {
    var r = TCPFlowRecord(client: ip(client), clientPort: 50_000, server: ip(server), serverPort: port, first: at(seconds))
    r.syns = [at(seconds)]
    r.synCount = 1
    r.state = .S0
    r.packetsToServer = 1
    r.openAtCaptureEnd = true
    return r
}

extension TCPFlowRecord {
    private var startSeconds: Double { seconds(of: first) }

    /// SYN retransmitted `count` times (1 s, 3 s, 7 s ... after the first), never answered.
    func retransmitted(_ count: Int) -> TCPFlowRecord {
        var r = self
        var offset = 1.0
        for _ in 0..<count {
            r.syns.append(at(startSeconds + offset))
            r.last = at(startSeconds + offset)
            offset = offset * 2 + 1
        }
        r.synCount += count
        r.packetsToServer += Int64(count)
        return r
    }

    /// SYN answered by RST (REJ).
    func rejected() -> TCPFlowRecord {
        var r = self
        r.serverReset = at(startSeconds + 0.001)
        r.last = at(startSeconds + 0.001)
        r.state = .REJ
        r.packetsToClient = 1
        r.openAtCaptureEnd = false
        return r
    }

    /// SYN-ACK and the client's ClientHello in `segments` segments; nothing from the server yet.
    func helloSent(_ sni: String?, segments: Int = 1, postQuantum: Bool = true) -> TCPFlowRecord {
        var r = self
        r.synAck = at(startSeconds + 0.001)
        r.clientHello = makeClientHello(sni, postQuantum: postQuantum)
        r.clientHelloSegments = segments
        r.clientHelloCompleted = at(startSeconds + 0.002)
        r.tls = .clientHelloSent
        r.state = .S1
        r.packetsToClient = 1
        r.packetsToServer += Int64(1 + segments)
        r.bytesToServer = 1_620
        r.last = at(startSeconds + 0.002)
        r.openAtCaptureEnd = true
        return r
    }

    /// The server's handshake finished, then both sides closed with FIN.
    func established(_ sni: String?) -> TCPFlowRecord {
        var r = helloSent(sni)
        r.serverHello = ServerHelloInfo(legacyVersion: 0x0303, selectedVersion: 0x0304, cipherSuite: 0x1301, isHelloRetryRequest: false)
        r.serverHelloAt = at(startSeconds + 0.010)
        r.establishedAt = at(startSeconds + 0.011)
        r.tls = .established
        r.bytesToClient = 5_000
        r.packetsToClient = 6
        r.clientFin = at(startSeconds + 2)
        r.serverFin = at(startSeconds + 2.001)
        r.state = .SF
        r.openAtCaptureEnd = false
        r.last = at(startSeconds + 2.002)
        return r
    }

    /// The server's TLS alert answered the ClientHello.
    func alerted(_ sni: String?) -> TCPFlowRecord {
        var r = helloSent(sni)
        r.alert = TLSAlert(level: 2, description: 40)
        r.alertFromServer = true
        r.alertAt = at(startSeconds + 0.010)
        r.tls = .alert
        r.serverFin = at(startSeconds + 0.011)
        r.bytesToClient = 7
        r.state = .S3
        r.openAtCaptureEnd = false
        return r
    }

    /// Client reset `after` seconds from the SYN (the agent giving up).
    func clientGaveUp(after seconds: Double) -> TCPFlowRecord {
        var r = self
        r.clientReset = at(startSeconds + seconds)
        r.last = at(startSeconds + seconds)
        r.openAtCaptureEnd = false
        r.state = r.synAck != nil ? .RSTO : .RSTOS0
        return r
    }

    /// Server reset `after` seconds from the SYN, with no FIN first.
    func serverReset(after seconds: Double) -> TCPFlowRecord {
        var r = self
        r.serverReset = at(startSeconds + seconds)
        r.clientFin = nil
        r.serverFin = nil
        r.last = at(startSeconds + seconds)
        r.openAtCaptureEnd = false
        r.state = .RSTR
        return r
    }

    /// Through an HTTP proxy: CONNECT `host`:443 answered `status`.
    func viaProxy(_ host: String, status: Int = 200) -> TCPFlowRecord {
        var r = self
        r.connect = ConnectRequest(host: Array(host.utf8), port: 443)
        r.connectStatus = status
        return r
    }
}

// MARK: - Results and analysis

func result(flows: [TCPFlowRecord] = [], dns: [DNSTransaction] = [], end seconds: Double = 60,
            counters: FlowCounters = FlowCounters(), anomalies: DecodeAnomalies = DecodeAnomalies()) -> FlowsResult {
    FlowsResult(flows: flows.sorted { $0.first.time < $1.first.time }, dns: dns.sorted { $0.query.time < $1.query.time },
                counters: counters, decodeAnomalies: anomalies, captureStart: time(0), captureEnd: time(seconds))
}

func analyze(flows: [TCPFlowRecord] = [], dns: [DNSTransaction] = [], end: Double = 60,
             counters: FlowCounters = FlowCounters(), anomalies: DecodeAnomalies = DecodeAnomalies(),
             options: CorrelationOptions = CorrelationOptions()) -> Analysis {
    Correlator.analyze(result(flows: flows, dns: dns, end: end, counters: counters, anomalies: anomalies), options: options)
}

extension Analysis {
    func finding(_ code: FindingCode) -> Finding? { findings.first { $0.code == code } }
    var codes: [FindingCode] { findings.map(\.code) }
}

let ssmName = "ssm.us-east-1.amazonaws.com"
let ssmmessagesName = "ssmmessages.us-east-1.amazonaws.com"
let ec2messagesName = "ec2messages.us-east-1.amazonaws.com"
