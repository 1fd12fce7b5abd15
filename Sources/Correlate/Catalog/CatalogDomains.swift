import Flows

// Partitions, their domains, region shapes and VPC endpoint labels: the pieces of a catalog name.

// MARK: - Domains

/// One domain a catalog name can end in.
struct CatalogDomain: Sendable {
    enum Form: Sendable { case standard, dualStack, vpcEndpoint }
    var labels: [[UInt8]]
    var partition: Partition
    var form: Form

    /// Standard and dual-stack domains of a partition (the agent's table).
    struct PartitionDomains: Sendable {
        var standard: [UInt8]
        var dualStack: [UInt8]?
    }

    static func domains(of partition: Partition) -> PartitionDomains {
        switch partition {
        case .aws, .awsUSGov: PartitionDomains(standard: Array("amazonaws.com".utf8), dualStack: Array("api.aws".utf8))
        case .awsCN: PartitionDomains(standard: Array("amazonaws.com.cn".utf8), dualStack: Array("api.amazonwebservices.com.cn".utf8))
        case .awsISO: PartitionDomains(standard: Array("c2s.ic.gov".utf8), dualStack: nil)
        case .awsISOB: PartitionDomains(standard: Array("sc2s.sgov.gov".utf8), dualStack: nil)
        case .awsISOF: PartitionDomains(standard: Array("csp.hci.ic.gov".utf8), dualStack: nil)
        case .awsISOE: PartitionDomains(standard: Array("cloud.adc-e.uk".utf8), dualStack: nil)
        case .awsEUSC: PartitionDomains(standard: Array("amazonaws.eu".utf8), dualStack: nil)
        }
    }

    /// Every domain of every partition, longest first so `vpce.amazonaws.com` is tried before
    /// `amazonaws.com`.
    static let all: [CatalogDomain] = {
        var list: [CatalogDomain] = []
        for partition in Partition.allCases {
            let domains = domains(of: partition)
            let standard = split(domains.standard)
            list.append(CatalogDomain(labels: standard, partition: partition, form: .standard))
            list.append(CatalogDomain(labels: [Array("vpce".utf8)] + standard, partition: partition, form: .vpcEndpoint))
            if let dualStack = domains.dualStack {
                list.append(CatalogDomain(labels: split(dualStack), partition: partition, form: .dualStack))
            }
        }
        return list.sorted { $0.labels.count > $1.labels.count }
    }()

    /// Each domain of `all` as ".domain" bytes, without repeats: a catalog name ends in one of them.
    static let dottedSuffixes: [[UInt8]] = {
        var suffixes: [[UInt8]] = []
        for domain in all {
            let dotted = [UInt8(ascii: ".")] + Array(domain.labels.joined(separator: [UInt8(ascii: ".")]))
            if !suffixes.contains(dotted) { suffixes.append(dotted) }
        }
        return suffixes
    }()

    /// False when `name` cannot be a catalog name because it ends in no catalog domain: a byte
    /// comparison, so the many names of ordinary traffic are rejected without splitting them.
    /// (`EndpointNameLabels.removingSuffix` only matches a name with a label before the domain, and
    /// that name ends in "." + the domain's bytes.)
    static func mayEndInCatalogDomain(_ name: [UInt8]) -> Bool {
        name.withUnsafeBufferPointer { bytes in
            for suffix in dottedSuffixes where bytes.count > suffix.count {
                if suffix.withUnsafeBufferPointer({ bytes.suffix($0.count).elementsEqual($0) }) { return true }
            }
            return false
        }
    }

    private static func split(_ domain: [UInt8]) -> [[UInt8]] {
        domain.split(separator: UInt8(ascii: ".")).map(Array.init)
    }
}

// MARK: - Labels of a name

/// A name split into labels, each 1...63 bytes of lower-case letters, digits and '-'.
struct EndpointNameLabels {
    var labels: [ArraySlice<UInt8>]

    /// Nil for the root, names over 253 bytes, empty or over-long labels, and any other byte.
    init?(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count <= 253 else { return nil }
        let parts = bytes[...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for part in parts {
            guard (1...63).contains(part.count), part.allSatisfy(Self.isNameByte) else { return nil }
        }
        labels = parts
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }

    /// The labels before `suffix` when the name ends in it, else nil.
    func removingSuffix(_ suffix: [[UInt8]]) -> ArraySlice<ArraySlice<UInt8>>? {
        guard labels.count > suffix.count else { return nil }
        let tail = labels.suffix(suffix.count)
        guard zip(tail, suffix).allSatisfy({ $0.elementsEqual($1) }) else { return nil }
        return labels.dropLast(suffix.count)
    }
}

// MARK: - Regions

enum RegionShape {
    /// `^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,3}$`: `us-east-1`, `us-gov-west-1`, `us-isob-east-1`,
    /// `eusc-de-east-1`. Not an availability zone (`us-east-1a`).
    static func isValid(_ label: ArraySlice<UInt8>) -> Bool {
        let parts = label.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count >= 3, let first = parts.first, let last = parts.last else { return false }
        guard (2...4).contains(first.count), first.allSatisfy(isLetter) else { return false }
        guard (1...3).contains(last.count), last.allSatisfy(isDigit) else { return false }
        return parts.dropFirst().dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy(isLetter) }
    }

    /// The partition a region belongs to, from its prefix; nil for no region shape.
    static func partition(of region: ArraySlice<UInt8>) -> Partition? {
        guard isValid(region) else { return nil }
        let prefixes: [(String, Partition)] = [
            ("us-gov-", .awsUSGov), ("us-isob-", .awsISOB), ("us-isof-", .awsISOF), ("us-iso-", .awsISO),
            ("eu-isoe-", .awsISOE), ("cn-", .awsCN), ("eusc-", .awsEUSC),
        ]
        for (prefix, partition) in prefixes where region.starts(with: prefix.utf8) { return partition }
        return .aws
    }

    /// FIPS endpoints exist in the US and Canada regions of the commercial partition and in GovCloud.
    static func hasFIPSEndpoints(_ region: ArraySlice<UInt8>) -> Bool {
        switch partition(of: region) {
        case .awsUSGov: true
        case .aws: region.starts(with: "us-".utf8) || region.starts(with: "ca-".utf8)
        default: false
        }
    }

    static func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

// MARK: - VPC endpoint labels

enum VPCEndpointLabel {
    /// `vpce-<8 or 17 hex>-<1...16 letters/digits>` optionally followed by `-<az>`, where the AZ is
    /// the name's region plus one letter (`vpce-0abc...-x1y2z3w4-us-east-1a`).
    static func isValid(_ label: ArraySlice<UInt8>, region: ArraySlice<UInt8>) -> Bool {
        let prefix = "vpce-".utf8
        guard label.starts(with: prefix) else { return false }
        let rest = label.dropFirst(prefix.count)
        let parts = rest.split(separator: UInt8(ascii: "-"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        let id = parts[0], suffix = parts[1]
        guard id.count == 8 || id.count == 17, id.allSatisfy(isHex) else { return false }
        guard (1...16).contains(suffix.count), suffix.allSatisfy({ RegionShape.isLetter($0) || RegionShape.isDigit($0) }) else { return false }
        guard parts.count == 3 else { return true }
        let zone = parts[2]
        guard zone.count == region.count + 1, zone.starts(with: region), let letter = zone.last else { return false }
        return RegionShape.isLetter(letter)
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        RegionShape.isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}
