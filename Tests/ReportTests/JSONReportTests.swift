import Correlate
import Foundation
import Testing
@testable import Report

// MARK: - JSON: parsed back, key fields asserted

@Suite("JSON report")
struct JSONReportTests {
    static func parse(_ scenario: Scenario, _ language: ReportLanguage = .en) throws -> [String: Any] {
        let out = ReportWriter.render(scenario.analysis, captures: scenario.captures,
                                      options: ReportOptions(format: .json, language: language, toolVersion: "1.2.3"))
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    @Test("top level in schema order with schemaVersion 1")
    func topLevel() throws {
        let out = ReportWriter.render(Scenario.domainJoined.analysis, captures: Scenario.domainJoined.captures,
                                      options: ReportOptions(format: .json, toolVersion: "1.2.3"))
        let keys = out.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == ["schemaVersion", "tool", "captures", "verdict", "findings", "dns", "flows", "resolvers", "vpc", "counters"])
        let root = try Self.parse(.domainJoined)
        #expect(root["schemaVersion"] as? Int == 1)
        let tool = try #require(root["tool"] as? [String: Any])
        #expect(tool["name"] as? String == "ssmpath")
        #expect(tool["version"] as? String == "1.2.3")
    }

    @Test("domain-joined: verdict, finding, DNS and flows")
    func domainJoined() throws {
        let root = try Self.parse(.domainJoined)
        let verdict = try #require(root["verdict"] as? [String: Any])
        #expect(verdict["code"] as? String == "resolver-bypasses-endpoint")
        #expect(verdict["severity"] as? String == "error")
        #expect((verdict["summary"] as? String)?.contains("10.0.0.10") == true)

        let findings = try #require(root["findings"] as? [[String: Any]])
        let first = try #require(findings.first)
        #expect(first["title"] as? String != nil)
        let remediation = try #require(first["remediation"] as? [[String: Any]])
        #expect(remediation.map { $0["code"] as? String } == ["route53-inbound-endpoint-forwarder", "hosts-file-entries", "nat-gateway"])
        let filter = try #require(first["displayFilter"] as? String)
        #expect(filter.hasPrefix("dns.qry.name contains \"ssm.ap-northeast-1.amazonaws.com\""))
        #expect(filter.contains("(ip.addr==203.0.113.21 && tcp.port==443)"))
        let log = try #require(first["agentLog"] as? [String])
        #expect(log.first?.hasSuffix("dial tcp 203.0.113.21:443: i/o timeout") == true)
        let evidence = try #require(first["evidence"] as? [[String: Any]])
        #expect(evidence.first?["kind"] as? String == "dns-response")
        #expect(evidence.first?["frame"] as? Int == 13)
        #expect(evidence.first?["file"] as? String == "/var/tmp/ssm-agent-issue.pcapng.gz")
        #expect(evidence.first?["time"] as? String == "2026-11-29T09:16:17.141856Z")
        #expect(evidence.first?["dns"] as? Int == 0)
        #expect(evidence.first?["flow"] is NSNull)

        let dns = try #require(root["dns"] as? [[String: Any]])
        #expect(dns.count == 3)
        #expect(dns[0]["type"] as? String == "A")
        #expect(dns[0]["rcode"] as? String == "NOERROR")
        #expect(dns[0]["rcodeValue"] as? Int == 0)
        #expect(dns[0]["addresses"] as? [String] == ["203.0.113.21", "203.0.113.22"])
        #expect(dns[0]["status"] as? String == "answered")
        #expect((dns[0]["rttMs"] as? NSNumber)?.doubleValue == 18.4)
        #expect(dns[0]["resolverClass"] as? String == "other")
        #expect(dns[0]["service"] as? String == "ssm")
        #expect(dns[0]["region"] as? String == "ap-northeast-1")

        let flows = try #require(root["flows"] as? [[String: Any]])
        #expect(flows.count == 4)
        #expect(flows[0]["state"] as? String == "S0")
        #expect(flows[0]["synRetransmits"] as? Int == 3)
        #expect(flows[0]["label"] as? String == "timeout")
        #expect(flows[0]["synFrames"] as? [Int] == [14, 17, 23, 34])
        #expect(flows[0]["clientHello"] as? Bool == false)
        #expect(flows[0]["tlsVersion"] is NSNull)
        #expect(flows[0]["handshakeMs"] is NSNull)
        #expect(flows[0]["dns"] as? Int == 0)

        let vpc = try #require(root["vpc"] as? [String: Any])
        #expect(vpc["cidrs"] as? [String] == ["10.0.0.0/16"])
        #expect(vpc["inferred"] as? Bool == true)
        let counters = try #require(root["counters"] as? [String: Any])
        #expect(counters["flowsSeen"] as? Int == 4)
        #expect(counters["malformed"] as? Int == 0)
    }

    @Test("healthy endpoint: TLS fields, CNAME answers, NODATA")
    func healthy() throws {
        let root = try Self.parse(.healthyEndpoint)
        let flows = try #require(root["flows"] as? [[String: Any]])
        #expect(flows[0]["tlsVersion"] as? String == "TLS 1.3")
        #expect(flows[0]["keyShareGroups"] as? [String] == ["X25519MLKEM768", "x25519"])
        #expect(flows[0]["postQuantum"] as? Bool == true)
        #expect(flows[0]["splitClientHello"] as? Bool == true)
        #expect(flows[0]["alpn"] as? [String] == ["h2", "http/1.1"])
        #expect((flows[0]["handshakeMs"] as? NSNumber)?.doubleValue == 3.3)
        #expect(flows[0]["path"] as? String == "vpc-endpoint")
        let dns = try #require(root["dns"] as? [[String: Any]])
        let answers = try #require(dns[0]["answers"] as? [[String: Any]])
        #expect(answers[0]["type"] as? String == "CNAME")
        #expect(answers[0]["data"] as? String == "vpce-0a1b2c3d4e5f60718-abcdefgh.ssm.eu-west-1.vpce.amazonaws.com")
        #expect(answers[1]["ttl"] as? Int == 60)
        #expect(dns[1]["type"] as? String == "AAAA")
        #expect(dns[1]["addresses"] as? [String] == [])
    }

    @Test("DNS timeout: rcode null, status timeout, IPv6 text")
    func dnsTimeout() throws {
        let root = try Self.parse(.dnsTimeout, .ja)
        let dns = try #require(root["dns"] as? [[String: Any]])
        #expect(dns[0]["rcode"] is NSNull)
        #expect(dns[0]["rcodeValue"] is NSNull)
        #expect(dns[0]["status"] as? String == "timeout")
        #expect(dns[0]["resolver"] as? String == "2001:db8::53")
        #expect(dns[0]["client"] as? String == "2001:db8:0:1::25")
        let verdict = try #require(root["verdict"] as? [String: Any])
        #expect((verdict["summary"] as? String)?.contains("名前解決できません") == true)
        let findings = try #require(root["findings"] as? [[String: Any]])
        let filter = try #require(findings.first?["displayFilter"] as? String)
        #expect(filter.contains("ipv6.addr==2001:db8::53"))
        let log = try #require(findings.first?["agentLog"] as? [String])
        #expect(log.first == "dial tcp: lookup ssm.us-west-2.amazonaws.com on [2001:db8::53]:53: read udp [2001:db8:0:1::25]:61001->[2001:db8::53]:53: i/o timeout")
    }

    @Test("proxy: CONNECT fields")
    func proxy() throws {
        let root = try Self.parse(.proxy)
        let flows = try #require(root["flows"] as? [[String: Any]])
        #expect(flows[0]["connectHost"] as? String == "ssm.us-east-1.amazonaws.com")
        #expect(flows[0]["connectStatus"] as? Int == 200)
        #expect(flows[0]["hostnameSource"] as? String == "connect")
        #expect(flows[0]["serverPort"] as? Int == 3128)
    }

    @Test("the writer escapes per RFC 8259 and keeps non-ASCII")
    func writer() {
        let value = JSONValue.object([("s", .string("a\"b\\c\n\u{01}\u{7F}日本")), ("n", .number("1.5")), ("e", .array([]))])
        #expect(JSONWriter.serialize(value) == "{\n  \"s\": \"a\\\"b\\\\c\\n\\u0001\\u007f日本\",\n  \"n\": 1.5,\n  \"e\": []\n}\n")
    }
}
