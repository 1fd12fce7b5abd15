import Testing
@testable import Decode

// Responses recorded from dnsmasq 2.90 on loopback by scripts/fixtures/record-dns.sh.

@Suite("DNS messages recorded from dnsmasq")
struct DNSParserRealTests {
    static let vpce = DNSName(ascii: "vpce-0a1b2c3d4e5f60718-abcdefgh.ssm.us-east-1.vpce.amazonaws.com")

    @Test func ssmCNAMEToAnInterfaceEndpointWithA() throws {
        let message = try parseDNS(try AppFixture.bytes("app-dns-ssm-cname-a")).get()
        #expect(message.id == 0x5301)
        #expect(message.isResponse && message.authoritative && message.recursionDesired && message.recursionAvailable)
        #expect(!message.truncated && message.opcode == 0 && message.rcode == DNSRcode.noError)
        #expect(message.questions == [DNSQuestion(name: DNSName("ssm.us-east-1.amazonaws.com"), type: DNSType.a, recordClass: 1)])
        #expect(message.answers == [
            DNSResourceRecord(name: DNSName("ssm.us-east-1.amazonaws.com"), type: DNSType.cname, recordClass: 1, ttl: 0,
                              data: .cname(Self.vpce)),
            DNSResourceRecord(name: Self.vpce, type: DNSType.a, recordClass: 1, ttl: 0, data: .address(.v4(0x0A00_0119))),
        ])
        #expect(message.authority.isEmpty)
        #expect(message.additional.map(\.type) == [DNSType.opt])
        #expect(message.ednsUDPSize == 1232)
        #expect(message.anomalies.isEmpty)
    }

    @Test func ssmCNAMEWithAAAA() throws {
        let message = try parseDNS(try AppFixture.bytes("app-dns-ssm-cname-aaaa")).get()
        #expect(message.questions.first?.type == DNSType.aaaa)
        #expect(message.answers.map(\.data) == [.cname(Self.vpce), .address(.v6(high: 0xFD00_0EC2_0000_0000, low: 0x25))])
        #expect(message.anomalies.isEmpty)
    }

    @Test func twoStepCNAMEChain() throws {
        let message = try parseDNS(try AppFixture.bytes("app-dns-ssmmessages-chain")).get()
        #expect(message.answers.map(\.name) == [
            DNSName("ssmmessages.us-east-1.amazonaws.com"), DNSName("ssmmessages.lab-chain.example.test"),
            DNSName("vpce-0ffee.ssmmessages.us-east-1.vpce.amazonaws.com"),
        ])
        #expect(message.answers.map(\.data) == [
            .cname(DNSName("ssmmessages.lab-chain.example.test")),
            .cname(DNSName("vpce-0ffee.ssmmessages.us-east-1.vpce.amazonaws.com")),
            .address(.v4(0x0A00_021F)),
        ])
        #expect(message.anomalies.isEmpty)
    }

    @Test func publicAddress() throws {
        let message = try parseDNS(try AppFixture.bytes("app-dns-ec2messages-public")).get()
        #expect(message.answers.map(\.data) == [.address(.v4(0xCB00_7115))]) // 203.0.113.21
    }

    @Test func nxdomain() throws {
        let message = try parseDNS(try AppFixture.bytes("app-dns-nxdomain")).get()
        #expect(message.rcode == DNSRcode.nxDomain)
        #expect(message.answers.isEmpty && message.authority.isEmpty)
        #expect(message.questions.first?.name == DNSName("nothing.example.test"))
        #expect(message.anomalies.isEmpty)
    }

    @Test func query() throws {
        let message = try parseDNS(try AppFixture.bytes("app-dns-query-ssm-a")).get()
        #expect(!message.isResponse && message.recursionDesired)
        #expect(message.questions.first?.name == DNSName("ssm.us-east-1.amazonaws.com"))
        #expect(message.ednsUDPSize == 1232)
        #expect(message.anomalies.isEmpty)
    }

    @Test("every strict prefix throws or reports a cut, never traps",
          arguments: ["app-dns-ssm-cname-a", "app-dns-ssm-cname-aaaa", "app-dns-ssmmessages-chain",
                      "app-dns-ec2messages-public", "app-dns-nxdomain", "app-dns-query-ssm-a"])
    func everyStrictPrefix(_ fixture: String) throws {
        let bytes = try AppFixture.bytes(fixture)
        let full = try parseDNS(bytes).get()
        for length in 0..<bytes.count {
            switch parseDNS(Array(bytes[..<length])) {
            case .failure(.shortHeader(let count)):
                #expect(length < 12 && count == length)
            case .failure(.badQuestion(let offset)):
                #expect(length >= 12 && offset == 12)
            case .success(let message):
                #expect(!message.anomalies.isDisjoint(with: [.truncatedRecords, .badRdata]), "prefix \(length)")
                #expect(message.id == full.id)
                #expect(message.answers.count <= full.answers.count)
                #expect(message.answers == Array(full.answers.prefix(message.answers.count)))
            }
        }
    }

    @Test("one byte flipped at a time never traps")
    func flippedBytes() throws {
        for fixture in ["app-dns-ssm-cname-a", "app-dns-ssmmessages-chain"] {
            let bytes = try AppFixture.bytes(fixture)
            for index in bytes.indices {
                for value: UInt8 in [0x00, 0x3F, 0x40, 0xC0, 0xFF] {
                    var mutated = bytes
                    mutated[index] = value
                    _ = parseDNS(mutated)
                }
            }
        }
    }
}
