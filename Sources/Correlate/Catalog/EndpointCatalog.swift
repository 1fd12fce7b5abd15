import Flows

// The names the SSM agent contacts, in every partition and form, and the reverse: which endpoint
// a name is. Regions are validated by shape, not listed, so new regions work.

// MARK: - Catalog entries

/// What the agent uses a service for (Report words it).
public enum ServicePurpose: String, Sendable, Hashable, CaseIterable {
    /// `ssm`: registration, health, inventory, document and association state.
    case agentAPI = "agent-api"
    /// `ssmmessages`: the control channel (Run Command, Session Manager) from agent 3.3.40.0.
    case controlChannel = "control-channel"
    /// `ec2messages`: message polling of older agents; polled briefly at start by newer ones.
    case messagePolling = "message-polling"
    /// `s3`: documents, patch baselines, command output.
    case artifactStorage = "artifact-storage"
    /// `kms`: session and parameter encryption.
    case encryption
    /// `logs`: CloudWatch Logs for session and command output.
    case logDelivery = "log-delivery"
    /// `monitoring`: CloudWatch metrics.
    case metrics
    /// `sts`: credentials (default host management configuration).
    case credentials
    /// `ec2`: instance metadata calls some documents make.
    case instanceAPI = "instance-api"
}

/// One name the agent may contact in a region.
public struct CatalogEntry: Sendable, Hashable {
    public var name: DNSName
    public var identity: EndpointIdentity
    public var purpose: ServicePurpose
    /// True for `ssm`, `ssmmessages`, `ec2messages`.
    public var required: Bool
    public init(name: DNSName, identity: EndpointIdentity, purpose: ServicePurpose, required: Bool) {
        self.name = name; self.identity = identity; self.purpose = purpose; self.required = required
    }
}

// MARK: - Catalog

public enum EndpointCatalog {
    /// The three endpoints the agent needs.
    public static let coreServices = ["ssm", "ssmmessages", "ec2messages"]
    /// Endpoints some documents and features need.
    public static let optionalServices = ["s3", "kms", "logs", "monitoring", "sts", "ec2"]
    public static let services = coreServices + optionalServices

    /// The purpose of a catalog service; nil for a service not in the catalog.
    public static func purpose(of service: String) -> ServicePurpose? {
        switch service {
        case "ssm": .agentAPI
        case "ssmmessages": .controlChannel
        case "ec2messages": .messagePolling
        case "s3": .artifactStorage
        case "kms": .encryption
        case "logs": .logDelivery
        case "monitoring": .metrics
        case "sts": .credentials
        case "ec2": .instanceAPI
        default: nil
        }
    }

    /// The endpoint a name refers to, or nil when it is no catalog name.
    ///
    /// Accepts `service.region.domain`, `service-fips.region.domain`, the dual-stack domains, VPC
    /// endpoint names `vpce-<id>-<suffix>[-<az>].service.region.vpce.domain`, and for S3 also
    /// bucket-style names (`bucket.s3.region.domain`, `s3.dualstack.region.domain`). The region must
    /// have a region's shape and belong to the domain's partition. Returns nil for the root, for
    /// names with characters outside letters, digits and '-', and for empty or over-long labels.
    public static func identify(_ name: DNSName) -> EndpointIdentity? {
        guard CatalogDomain.mayEndInCatalogDomain(name.bytes), let labels = EndpointNameLabels(name.bytes) else { return nil }
        for domain in CatalogDomain.all {
            guard let rest = labels.removingSuffix(domain.labels), let regionLabel = rest.last else { continue }
            guard RegionShape.isValid(regionLabel), RegionShape.partition(of: regionLabel) == domain.partition else { continue }
            let region = String(decoding: regionLabel, as: UTF8.self)
            let beforeRegion = rest.dropLast()
            let found: (service: String, kind: EndpointNameKind)?
            switch domain.form {
            case .vpcEndpoint: found = vpcEndpointService(beforeRegion, regionLabel: regionLabel)
            case .standard, .dualStack: found = serviceName(beforeRegion, dualStackDomain: domain.form == .dualStack)
            }
            guard let found else { continue }
            return EndpointIdentity(service: found.service, region: region, partition: domain.partition, kind: found.kind)
        }
        return nil
    }

    /// The endpoint named by the first name of a CNAME chain that is a catalog name: the question
    /// first, then each CNAME target in answer order. Nil when none is.
    public static func identify(question: DNSName, answers: [DNSResourceRecord]) -> EndpointIdentity? {
        if let identity = identify(question) { return identity }
        for record in answers {
            if case .cname(let target) = record.data, let identity = identify(target) { return identity }
        }
        return nil
    }

    /// The names the agent may contact in `region`, service by service in catalog order: the
    /// standard name, the FIPS name where FIPS endpoints exist (us-, ca- and us-gov- regions), and
    /// the dual-stack name where the partition has one. Empty for a string that is not a region.
    public static func names(region: String) -> [CatalogEntry] {
        let regionBytes = Array(region.utf8)
        guard RegionShape.isValid(regionBytes[...]), let partition = RegionShape.partition(of: regionBytes[...]) else { return [] }
        let domains = CatalogDomain.domains(of: partition)
        let hasFIPS = RegionShape.hasFIPSEndpoints(regionBytes[...])
        var entries: [CatalogEntry] = []
        for service in services {
            guard let purpose = purpose(of: service) else { continue }
            let required = coreServices.contains(service)
            func entry(_ label: String, _ domain: [UInt8], _ kind: EndpointNameKind) -> CatalogEntry {
                let name = Array(label.utf8) + [UInt8(ascii: ".")] + regionBytes + [UInt8(ascii: ".")] + domain
                return CatalogEntry(name: DNSName(bytes: name),
                                    identity: EndpointIdentity(service: service, region: region, partition: partition, kind: kind),
                                    purpose: purpose, required: required)
            }
            entries.append(entry(service, domains.standard, .standard))
            if hasFIPS { entries.append(entry(service + "-fips", domains.standard, .fips)) }
            if let dualStack = domains.dualStack { entries.append(entry(service, dualStack, .dualStack)) }
        }
        return entries
    }

    // MARK: Name forms

    private static let fipsSuffix = Array("-fips".utf8)
    private static let s3 = Array("s3".utf8)
    private static let dualstackLabel = Array("dualstack".utf8)

    /// `service` or `service-fips` as the only label before the region; S3 may have bucket labels
    /// before it and `dualstack` between it and the region.
    private static func serviceName(_ labels: ArraySlice<ArraySlice<UInt8>>, dualStackDomain: Bool) -> (service: String, kind: EndpointNameKind)? {
        var labels = labels
        var s3DualStack = false
        if labels.count >= 2, labels.last.map({ $0.elementsEqual(dualstackLabel) }) == true {
            labels = labels.dropLast()
            guard labels.last.map({ $0.elementsEqual(s3) || $0.elementsEqual(s3 + fipsSuffix) }) == true else { return nil }
            s3DualStack = true
        }
        guard let serviceLabel = labels.last else { return nil }
        var serviceBytes = serviceLabel
        var fips = false
        if serviceBytes.count > fipsSuffix.count, serviceBytes.suffix(fipsSuffix.count).elementsEqual(fipsSuffix) {
            serviceBytes = serviceBytes.dropLast(fipsSuffix.count)
            fips = true
        }
        let service = String(decoding: serviceBytes, as: UTF8.self)
        guard services.contains(service) else { return nil }
        // Only S3 has names with labels before the service (virtual-hosted buckets).
        guard labels.count == 1 || service == "s3" else { return nil }
        let kind: EndpointNameKind = fips ? .fips : (dualStackDomain || s3DualStack ? .dualStack : .standard)
        return (service, kind)
    }

    /// `vpce-<id>-<suffix>[-<az>].service` before the region; S3 may have labels before the vpce label.
    private static func vpcEndpointService(_ labels: ArraySlice<ArraySlice<UInt8>>, regionLabel: ArraySlice<UInt8>) -> (service: String, kind: EndpointNameKind)? {
        guard labels.count >= 2, let serviceLabel = labels.last else { return nil }
        let service = String(decoding: serviceLabel, as: UTF8.self)
        guard services.contains(service) else { return nil }
        let beforeService = labels.dropLast()
        guard let vpceLabel = beforeService.last, VPCEndpointLabel.isValid(vpceLabel, region: regionLabel) else { return nil }
        guard beforeService.count == 1 || service == "s3" else { return nil }
        return (service, .vpcEndpoint)
    }
}
