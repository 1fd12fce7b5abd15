@testable import Flows
import Decode

// Small stand-ins for the Decode stage's parsers, so flow logic is tested on its own. They follow
// the real wire formats closely enough to run on the real recorded bytes too:
// - ClientHello: one TLS handshake record (RFC 8446 §5.1) holding a ClientHello; complete when the
//   record is; `serverName` carries the handshake body so tests can check which copy won.
// - Server walker: record headers only; ServerHello (handshake type 2) then an encrypted record
//   (type 23, or anything after ChangeCipherSpec) = finished; a 2-byte alert record = alert.
// - CONNECT request / response status: just the request line / status line.
// - DNS: header, questions, answers and authority with compression pointers; A, AAAA, CNAME.

enum FakeParsers: ApplicationParsers {
    typealias ServerWalker = FakeServerWalker

    static func parseClientHello(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ClientHelloInfo> {
        guard let first = bytes.first else { return .needMoreBytes }
        guard first == 0x16 else { return .notThisProtocol }
        guard bytes.count >= 9 else { return .needMoreBytes }
        guard bytes[5] == 0x01 else { return .notThisProtocol }
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        guard bytes.count >= 5 + length else { return .needMoreBytes }
        let body = Array(bytes[9..<(5 + length)])
        return .complete(ClientHelloInfo(serverName: body, alpn: [], legacyVersion: 0x0303, supportedVersions: [0x0304],
                                         keyShareGroups: [0x001D], recordBytes: 5 + length, recordCount: 1))
    }

    static func parseConnectRequest(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ConnectRequest> {
        let text = Array(bytes)
        let method = Array("CONNECT ".utf8)
        guard text.starts(with: method) else { return .notThisProtocol }
        guard let space = text[method.count...].firstIndex(of: 0x20),
              let colon = text[method.count..<space].lastIndex(of: UInt8(ascii: ":")),
              let port = UInt16(String(decoding: text[(colon + 1)..<space], as: UTF8.self)) else { return .notThisProtocol }
        return .complete(ConnectRequest(host: Array(text[method.count..<colon]), port: port))
    }

    static func parseConnectResponseStatus(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<Int> {
        let text = Array(bytes)
        guard text.count >= 12 else { return .needMoreBytes }
        guard text.starts(with: Array("HTTP/1.".utf8)), let status = Int(String(decoding: text[9..<12], as: UTF8.self)) else {
            return .notThisProtocol
        }
        return .complete(status)
    }

    static func parseDNS(_ bytes: UnsafeRawBufferPointer) -> DNSMessage? {
        FakeDNSParser(Array(bytes)).parse()
    }
}

struct FakeServerWalker: ServerRecordWalking {
    private(set) var events = TLSServerEvents()
    private var stream: [UInt8] = []
    private var offset = 0
    private var sawChangeCipherSpec = false

    init() {}

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        stream.append(contentsOf: bytes)
        while offset + 5 <= stream.count, !events.notTLS {
            let type = stream[offset]
            let length = Int(stream[offset + 3]) << 8 | Int(stream[offset + 4])
            guard offset + 5 + length <= stream.count else { return }
            let body = stream[(offset + 5)..<(offset + 5 + length)]
            switch type {
            case 22 where sawChangeCipherSpec:
                if events.serverHello != nil { events.handshakeFinished = true }
            case 22:
                if body.first == 2, events.serverHello == nil {
                    events.serverHello = ServerHelloInfo(legacyVersion: 0x0303, selectedVersion: nil, cipherSuite: 0x1301,
                                                         isHelloRetryRequest: false)
                }
            case 20:
                sawChangeCipherSpec = true
            case 21 where length == 2:
                events.alert = TLSAlert(level: body[body.startIndex], description: body[body.startIndex + 1])
            case 23:
                events.applicationDataRecords += 1
                if events.serverHello != nil { events.handshakeFinished = true }
            default:
                events.notTLS = true
            }
            offset += 5 + length
        }
    }
}

/// A DNS parser good enough for the messages the tests build and for dnsmasq's answers.
struct FakeDNSParser {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private func u16(_ at: Int) -> UInt16? {
        guard at >= 0, at + 2 <= bytes.count else { return nil }
        return UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
    }

    private func name(at start: Int) -> (DNSName, Int)? {
        var labels: [String] = []
        var position = start
        var end: Int?
        for _ in 0..<64 {
            guard position < bytes.count else { return nil }
            let length = Int(bytes[position])
            if length == 0 {
                return (DNSName(labels.joined(separator: ".")), end ?? position + 1)
            }
            if length & 0xC0 == 0xC0 {
                guard let pointer = u16(position) else { return nil }
                if end == nil { end = position + 2 }
                position = Int(pointer & 0x3FFF)
                continue
            }
            guard position + 1 + length <= bytes.count else { return nil }
            labels.append(String(decoding: bytes[(position + 1)..<(position + 1 + length)], as: UTF8.self))
            position += 1 + length
        }
        return nil
    }

    func parse() -> DNSMessage? {
        guard bytes.count >= 12, let id = u16(0), let flags = u16(2), let qd = u16(4), let an = u16(6), let ns = u16(8) else {
            return nil
        }
        var position = 12
        var questions: [DNSQuestion] = []
        for _ in 0..<qd {
            guard let (name, next) = name(at: position), let type = u16(next), let klass = u16(next + 2) else { return nil }
            questions.append(DNSQuestion(name: name, type: type, recordClass: klass))
            position = next + 4
        }
        func records(_ count: UInt16) -> [DNSResourceRecord] {
            var result: [DNSResourceRecord] = []
            for _ in 0..<count {
                guard let (name, next) = name(at: position), let type = u16(next), let klass = u16(next + 2),
                      let ttlHigh = u16(next + 4), let ttlLow = u16(next + 6), let length = u16(next + 8) else { break }
                let rdata = next + 10
                guard rdata + Int(length) <= bytes.count else { break }
                let data: DNSRecordData
                switch (type, length) {
                case (1, 4):
                    data = .address(.v4(UInt32(bytes[rdata]) << 24 | UInt32(bytes[rdata + 1]) << 16
                                         | UInt32(bytes[rdata + 2]) << 8 | UInt32(bytes[rdata + 3])))
                case (28, 16):
                    var high: UInt64 = 0, low: UInt64 = 0
                    for i in 0..<8 { high = high << 8 | UInt64(bytes[rdata + i]) }
                    for i in 8..<16 { low = low << 8 | UInt64(bytes[rdata + i]) }
                    data = .address(.v6(high: high, low: low))
                case (5, _):
                    guard let (target, _) = self.name(at: rdata) else { return result }
                    data = .cname(target)
                default:
                    data = .other(length: Int(length))
                }
                result.append(DNSResourceRecord(name: name, type: type, recordClass: klass,
                                                ttl: UInt32(ttlHigh) << 16 | UInt32(ttlLow), data: data))
                position = rdata + Int(length)
            }
            return result
        }
        let answers = records(an)
        let authority = records(ns)
        return DNSMessage(id: id, isResponse: flags & 0x8000 != 0, opcode: UInt8((flags >> 11) & 0xF),
                          authoritative: flags & 0x0400 != 0, truncated: flags & 0x0200 != 0,
                          recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
                          rcode: flags & 0xF, questions: questions, answers: answers, authority: authority,
                          additional: [], ednsUDPSize: nil, anomalies: [])
    }
}

// MARK: - Message builders

enum Build {
    /// A fake-format ClientHello: one handshake record whose handshake body is `body`.
    static func clientHello(_ body: [UInt8]) -> [UInt8] {
        let handshakeLength = body.count
        let recordLength = handshakeLength + 4
        return [0x16, 0x03, 0x01, UInt8(recordLength >> 8), UInt8(recordLength & 0xFF),
                0x01, UInt8(handshakeLength >> 16), UInt8((handshakeLength >> 8) & 0xFF), UInt8(handshakeLength & 0xFF)] + body
    }

    static func clientHello(sni: String, padTo total: Int = 0) -> [UInt8] {
        var body = Array(sni.utf8)
        if total > body.count + 9 { body += [UInt8](repeating: 0x2E, count: total - 9 - body.count) }
        return clientHello(body)
    }

    static func record(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, 0x03, 0x03, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    static var serverHello: [UInt8] { record(22, [0x02, 0x00, 0x00, 0x04, 0x03, 0x03, 0x00, 0x00]) }
    static var changeCipherSpec: [UInt8] { record(20, [0x01]) }
    static var encrypted: [UInt8] { record(23, [UInt8](repeating: 0xAB, count: 40)) }
    static func alert(_ description: UInt8) -> [UInt8] { record(21, [0x02, description]) }

    static func dnsName(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for label in text.split(separator: ".") { out.append(UInt8(label.utf8.count)); out += Array(label.utf8) }
        return out + [0]
    }

    static func dnsQuery(id: UInt16, name: String, type: UInt16 = 1) -> [UInt8] {
        [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + dnsName(name) + [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
    }

    enum Answer { case a(UInt32), cname(String) }

    static func dnsResponse(id: UInt16, name: String, type: UInt16 = 1, rcode: UInt8 = 0, answers: [(String, Answer)] = []) -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x81, 0x80 | (rcode & 0xF), 0, 1, 0, UInt8(answers.count), 0, 0, 0, 0]
        out += dnsName(name) + [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        for (owner, answer) in answers {
            out += dnsName(owner)
            switch answer {
            case .a(let address):
                out += [0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
                        UInt8(address >> 24), UInt8((address >> 16) & 0xFF), UInt8((address >> 8) & 0xFF), UInt8(address & 0xFF)]
            case .cname(let target):
                let data = dnsName(target)
                out += [0, 5, 0, 1, 0, 0, 0, 60, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
            }
        }
        return out
    }

    /// DNS over TCP: the two-byte length prefix (RFC 1035 §4.2.2).
    static func tcpFramed(_ message: [UInt8]) -> [UInt8] {
        [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
    }
}
