@testable import Correlate
import Testing

// MARK: - IPNetwork text

@Suite struct IPNetworkTextTests {
    @Test func parsesIPv4() {
        #expect(IPNetwork("10.0.0.0/16") == IPNetwork(address: .v4(0x0A00_0000), prefixLength: 16))
        #expect(IPNetwork("0.0.0.0/0") == IPNetwork(address: .v4(0), prefixLength: 0))
        #expect(IPNetwork("255.255.255.255/32") == IPNetwork(address: .v4(0xFFFF_FFFF), prefixLength: 32))
        // Host bits are cleared.
        #expect(IPNetwork("10.0.1.5/16") == IPNetwork(address: .v4(0x0A00_0000), prefixLength: 16))
        #expect(IPNetwork("172.31.255.255/20") == IPNetwork(address: .v4(0xAC1F_F000), prefixLength: 20))
    }

    @Test func parsesIPv6() {
        #expect(IPNetwork("2600:1f18:aaaa:bb00::/56") == IPNetwork(address: .v6(high: 0x2600_1F18_AAAA_BB00, low: 0), prefixLength: 56))
        #expect(IPNetwork("fd00:ec2::253/128") == IPNetwork(address: .v6(high: 0xFD00_0EC2_0000_0000, low: 0x253), prefixLength: 128))
        #expect(IPNetwork("::/0") == IPNetwork(address: .v6(high: 0, low: 0), prefixLength: 0))
        #expect(IPNetwork("::1/128") == IPNetwork(address: .v6(high: 0, low: 1), prefixLength: 128))
        #expect(IPNetwork("1:2:3:4:5:6:7:8/64") == IPNetwork(address: .v6(high: 0x0001_0002_0003_0004, low: 0), prefixLength: 64))
        #expect(IPNetwork("1::/16") == IPNetwork(address: .v6(high: 0x0001_0000_0000_0000, low: 0), prefixLength: 16))
        #expect(IPNetwork("FD00:EC2::/32") == IPNetwork(address: .v6(high: 0xFD00_0EC2_0000_0000, low: 0), prefixLength: 32))
        // Host bits in the low half are cleared.
        #expect(IPNetwork("2001:db8::ffff/120") == IPNetwork(address: .v6(high: 0x2001_0DB8_0000_0000, low: 0xFF00), prefixLength: 120))
    }

    static let invalid = [
        "", "/", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/016", "10.0.0/8", "10.0.0.0.0/8",
        "256.0.0.0/8", "01.0.0.0/8", "10.0.0.0/8/8", " 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0.a/8", "10..0.0/8",
        "::/129", "1:2:3:4:5:6:7:8:9/64", "1:2:3:4:5:6:7/64", "1::2::3/64", ":::/64", "12345::/16", "g::/16",
        "1:2:3:4:5:6:7::8/64", "::ffff:10.0.0.1/96", "fe80::1%eth0/64", "1:/16", ":1/16",
    ]

    @Test(arguments: invalid)
    func rejects(_ text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test func everyPrefixOfValidTextIsNilOrANetwork() {
        for text in ["192.168.100.200/24", "2600:1f18:aaaa:bb00::1/56"] {
            let bytes = Array(text.utf8)
            for length in 0...bytes.count {
                let prefix = String(decoding: bytes[..<length], as: UTF8.self)
                if let network = IPNetwork(prefix) { #expect(network.prefixLength <= 128) }
            }
        }
    }

    @Test func contains() {
        let vpc = net("10.0.0.0/16")
        #expect(vpc.contains(ip("10.0.255.255")))
        #expect(!vpc.contains(ip("10.1.0.0")))
        #expect(!vpc.contains(ip("::1")))
        #expect(net("0.0.0.0/0").contains(ip("203.0.113.1")))
        #expect(net("2600:1f18:aaaa:bb00::/56").contains(ip("2600:1f18:aaaa:bbff::1")))
        #expect(!net("2600:1f18:aaaa:bb00::/56").contains(ip("2600:1f18:aaaa:bc00::1")))
        #expect(net("fd00:ec2::/32").baseAddress(plus: 2) == ip("fd00:ec2::2"))
        #expect(net("10.0.0.0/16").baseAddress(plus: 2) == ip("10.0.0.2"))
    }
}

// MARK: - Address class

@Suite struct AddressClassTests {
    let classifier = AddressClassifier(vpc: VPCContext(cidrs: [IPNetwork(address: .v4(0xCB00_7100), prefixLength: 24)], inferred: false))

    @Test(arguments: ["10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.0.1", "100.64.0.1", "100.127.255.255", "127.0.0.1",
                      "169.254.169.253", "fd00:ec2::253", "fc00::1", "fe80::1", "::1",
                      "203.0.113.9"]) // in the given VPC CIDR 203.0.113.0/24
    func privateAddresses(_ text: String) {
        #expect(classifier.classify(ip(text)) == .private)
    }

    @Test(arguments: ["198.51.100.7", "192.0.2.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "11.0.0.1", "2600:1f18::1", "2001:db8::1"])
    func publicAddresses(_ text: String) {
        #expect(classifier.classify(ip(text)) == .public)
    }
}

// MARK: - Resolver class

@Suite struct ResolverClassTests {
    @Test func fixedAmazonAddresses() {
        let classifier = AddressClassifier(vpc: VPCContext(cidrs: [], inferred: false))
        #expect(classifier.classifyResolver(ip("169.254.169.253")) == (.amazonProvided, .linkLocal))
        #expect(classifier.classifyResolver(ip("fd00:ec2::253")) == (.amazonProvided, .ipv6))
        #expect(classifier.classifyResolver(ip("10.0.0.2")) == (.other, .notAmazon))
        #expect(classifier.classifyResolver(ip("169.254.169.254")) == (.other, .notAmazon))
    }

    @Test func basePlusTwoOfAGivenCIDR() {
        let classifier = AddressClassifier(vpc: VPCContext(cidrs: [net("10.20.0.0/16"), net("172.16.0.0/20")], inferred: false))
        #expect(classifier.classifyResolver(ip("10.20.0.2")) == (.amazonProvided, .vpcBasePlusTwo))
        #expect(classifier.classifyResolver(ip("172.16.0.2")) == (.amazonProvided, .vpcBasePlusTwo))
        #expect(classifier.classifyResolver(ip("10.20.1.2")) == (.other, .notAmazon))
        #expect(classifier.classifyResolver(ip("10.20.0.3")) == (.other, .notAmazon))
    }

    @Test func basePlusTwoInferredFromTheClient() {
        // Client 10.0.1.10 asks 10.0.0.2: the smallest VPC holding both with 10.0.0.2 = base + 2 is 10.0.0.0/23.
        let cidrs = VPCInference.infer(clientResolverPairs: [(ip("10.0.1.10"), ip("10.0.0.2"))])
        #expect(cidrs == [net("10.0.0.0/23")])
        let classifier = AddressClassifier(vpc: VPCContext(cidrs: cidrs, inferred: true))
        #expect(classifier.classifyResolver(ip("10.0.0.2")) == (.amazonProvided, .vpcBasePlusTwoInferred))
        // Same subnet: the /28 minimum.
        #expect(VPCInference.infer(clientResolverPairs: [(ip("192.168.5.7"), ip("192.168.5.2"))]) == [net("192.168.5.0/28")])
        // A client at a /16 boundary distance.
        #expect(VPCInference.infer(clientResolverPairs: [(ip("172.31.200.9"), ip("172.31.0.2"))]) == [net("172.31.0.0/16")])
        // Two clients of one VPC merge into the widest network.
        #expect(VPCInference.infer(clientResolverPairs: [(ip("10.0.1.10"), ip("10.0.0.2")), (ip("10.0.2.7"), ip("10.0.0.2"))])
                == [net("10.0.0.0/22")])
    }

    @Test func nothingInferredForOtherResolvers() {
        // An AD DNS server is not base + 2 of any /16.../28 holding the client.
        #expect(VPCInference.infer(clientResolverPairs: [(ip("10.0.1.10"), ip("10.0.2.10"))]).isEmpty)
        // Too far apart for a /16.
        #expect(VPCInference.infer(clientResolverPairs: [(ip("10.1.0.10"), ip("10.0.0.2"))]).isEmpty)
        // Public clients are not inferred from.
        #expect(VPCInference.infer(clientResolverPairs: [(ip("198.51.100.10"), ip("198.51.100.2"))]).isEmpty)
        // A resolver that is the client itself.
        #expect(VPCInference.infer(clientResolverPairs: [(ip("10.0.0.2"), ip("10.0.0.2"))]).isEmpty)
        let classifier = AddressClassifier(vpc: VPCContext(cidrs: [], inferred: false))
        #expect(classifier.classifyResolver(ip("10.0.2.10")) == (.other, .notAmazon))
    }

    @Test func ipv6ClientAskingAmazonDNSGivesItsSlash56() {
        let cidrs = VPCInference.infer(clientResolverPairs: [(ip("2600:1f18:aaaa:bb00::10"), ip("fd00:ec2::253"))])
        #expect(cidrs == [net("2600:1f18:aaaa:bb00::/56")])
        #expect(VPCInference.infer(clientResolverPairs: [(ip("2600:1f18:aaaa:bb00::10"), ip("2001:db8::53"))]).isEmpty)
    }
}
