import Flows

// Private or public, AmazonProvidedDNS or not, and the VPC CIDRs both depend on.

// MARK: - Well-known prefixes

enum WellKnownPrefixes {
    /// RFC 1918.
    static let rfc1918: [IPNetwork] = [
        IPNetwork(address: .v4(0x0A00_0000), prefixLength: 8),   // 10.0.0.0/8
        IPNetwork(address: .v4(0xAC10_0000), prefixLength: 12),  // 172.16.0.0/12
        IPNetwork(address: .v4(0xC0A8_0000), prefixLength: 16),  // 192.168.0.0/16
    ]
    /// RFC 6598 shared address space (also usable as a VPC CIDR).
    static let sharedAddressSpace = IPNetwork(address: .v4(0x6440_0000), prefixLength: 10)  // 100.64.0.0/10
    /// Loopback and link-local, treated as private.
    static let localV4: [IPNetwork] = [
        IPNetwork(address: .v4(0x7F00_0000), prefixLength: 8),   // 127.0.0.0/8
        IPNetwork(address: .v4(0xA9FE_0000), prefixLength: 16),  // 169.254.0.0/16
    ]
    /// ULA fc00::/7 (RFC 4193), link-local fe80::/10, loopback ::1.
    static let privateV6: [IPNetwork] = [
        IPNetwork(address: .v6(high: 0xFC00_0000_0000_0000, low: 0), prefixLength: 7),
        IPNetwork(address: .v6(high: 0xFE80_0000_0000_0000, low: 0), prefixLength: 10),
        IPNetwork(address: .v6(high: 0, low: 1), prefixLength: 128),
    ]
    /// AmazonProvidedDNS at its fixed addresses.
    static let amazonDNSLinkLocal = IPAddress.v4(0xA9FE_A9FD)                          // 169.254.169.253
    static let amazonDNSv6 = IPAddress.v6(high: 0xFD00_0EC2_0000_0000, low: 0x253)      // fd00:ec2::253
    /// Prefix lengths a VPC CIDR may have (IPv4).
    static let vpcPrefixLengths = 16...28
    /// Prefix length of an Amazon-provided VPC IPv6 block.
    static let vpcIPv6PrefixLength = 56
}

// MARK: - Classifier

/// Classes addresses and resolvers against a VPC context.
public struct AddressClassifier: Sendable {
    public var vpc: VPCContext

    public init(vpc: VPCContext) { self.vpc = vpc }

    /// Private for RFC 1918, 100.64.0.0/10, loopback, link-local, ULA and the VPC CIDRs; else public.
    public func classify(_ address: IPAddress) -> AddressClass {
        if vpc.cidrs.contains(where: { $0.contains(address) }) { return .private }
        switch address {
        case .v4:
            if WellKnownPrefixes.rfc1918.contains(where: { $0.contains(address) }) { return .private }
            if WellKnownPrefixes.sharedAddressSpace.contains(address) { return .private }
            if WellKnownPrefixes.localV4.contains(where: { $0.contains(address) }) { return .private }
            return .public
        case .v6:
            return WellKnownPrefixes.privateV6.contains(where: { $0.contains(address) }) ? .private : .public
        }
    }

    /// AmazonProvidedDNS (169.254.169.253, fd00:ec2::253, or base + 2 of a VPC CIDR), with the reason.
    public func classifyResolver(_ address: IPAddress) -> (ResolverClass, ResolverClassReason) {
        if address == WellKnownPrefixes.amazonDNSLinkLocal { return (.amazonProvided, .linkLocal) }
        if address == WellKnownPrefixes.amazonDNSv6 { return (.amazonProvided, .ipv6) }
        if vpc.cidrs.contains(where: { $0.baseAddress(plus: 2) == address && $0.contains(address) }) {
            return (.amazonProvided, vpc.inferred ? .vpcBasePlusTwoInferred : .vpcBasePlusTwo)
        }
        return (.other, .notAmazon)
    }
}

// MARK: - VPC inference

/// Infers the VPC's CIDRs from who asks whom, when none were given.
public enum VPCInference {
    /// For each (client, resolver) pair: an RFC 1918 or 100.64/10 client whose resolver is
    /// `network(client, p) + 2` for some p in 16...28 is in a VPC of that network; the largest
    /// such p (the smallest plausible VPC) is chosen. An IPv6 global-unicast client that asks an
    /// AmazonProvidedDNS address contributes its /56. Networks with the same base are merged into
    /// the widest one. Returns an empty list when nothing fits.
    public static func infer(clientResolverPairs: [(client: IPAddress, resolver: IPAddress)]) -> [IPNetwork] {
        var v4Found: [IPNetwork] = []
        var amazonAskedByV6: Set<IPAddress> = []
        for (client, resolver) in clientResolverPairs {
            if case .v4 = client, case .v4 = resolver, isPrivateV4(client) {
                for prefix in WellKnownPrefixes.vpcPrefixLengths.reversed() {
                    let network = IPNetwork.containing(client, prefixLength: prefix)
                    if network.baseAddress(plus: 2) == resolver, network.contains(resolver), client != resolver {
                        v4Found.append(network)
                        break
                    }
                }
            }
        }
        // IPv6 clients: their /56 when they ask a resolver that is AmazonProvidedDNS.
        let v4Classifier = AddressClassifier(vpc: VPCContext(cidrs: v4Found, inferred: true))
        let wellKnownOnly = AddressClassifier(vpc: VPCContext(cidrs: [], inferred: true))
        for (client, resolver) in clientResolverPairs {
            guard case .v6 = client, wellKnownOnly.classify(client) == .public else { continue }
            if v4Classifier.classifyResolver(resolver).0 == .amazonProvided { amazonAskedByV6.insert(client) }
        }
        var networks = v4Found
        for client in amazonAskedByV6 {
            networks.append(IPNetwork.containing(client, prefixLength: WellKnownPrefixes.vpcIPv6PrefixLength))
        }
        return widestPerBase(networks)
    }

    private static func isPrivateV4(_ address: IPAddress) -> Bool {
        WellKnownPrefixes.rfc1918.contains(where: { $0.contains(address) }) || WellKnownPrefixes.sharedAddressSpace.contains(address)
    }

    /// One network per base address (the shortest prefix), sorted by address then prefix length.
    private static func widestPerBase(_ networks: [IPNetwork]) -> [IPNetwork] {
        var widest: [IPAddress: Int] = [:]
        for network in networks {
            widest[network.base] = min(widest[network.base] ?? Int.max, network.prefixLength)
        }
        return widest.map { IPNetwork(address: $0.key, prefixLength: $0.value) }
            .sorted { ($0.address, $0.prefixLength) < ($1.address, $1.prefixLength) }
    }
}
