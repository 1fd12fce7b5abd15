@testable import Correlate
import Testing

// MARK: - identify: every partition, domain and name form

struct IdentifyCase: Sendable, CustomTestStringConvertible {
    var name: String
    var service: String
    var region: String
    var partition: Partition
    var kind: EndpointNameKind
    var testDescription: String { name }
}

@Suite struct EndpointCatalogIdentifyTests {
    static let positives: [IdentifyCase] = [
        // Commercial, every service.
        .init(name: "ssm.us-east-1.amazonaws.com", service: "ssm", region: "us-east-1", partition: .aws, kind: .standard),
        .init(name: "ssmmessages.eu-west-1.amazonaws.com", service: "ssmmessages", region: "eu-west-1", partition: .aws, kind: .standard),
        .init(name: "ec2messages.ap-southeast-2.amazonaws.com", service: "ec2messages", region: "ap-southeast-2", partition: .aws, kind: .standard),
        .init(name: "s3.us-west-2.amazonaws.com", service: "s3", region: "us-west-2", partition: .aws, kind: .standard),
        .init(name: "kms.us-east-2.amazonaws.com", service: "kms", region: "us-east-2", partition: .aws, kind: .standard),
        .init(name: "logs.ca-central-1.amazonaws.com", service: "logs", region: "ca-central-1", partition: .aws, kind: .standard),
        .init(name: "monitoring.sa-east-1.amazonaws.com", service: "monitoring", region: "sa-east-1", partition: .aws, kind: .standard),
        .init(name: "sts.me-central-1.amazonaws.com", service: "sts", region: "me-central-1", partition: .aws, kind: .standard),
        .init(name: "ec2.af-south-1.amazonaws.com", service: "ec2", region: "af-south-1", partition: .aws, kind: .standard),
        // A region that does not exist yet still has a region's shape.
        .init(name: "ssm.xx-newplace-9.amazonaws.com", service: "ssm", region: "xx-newplace-9", partition: .aws, kind: .standard),
        // Trailing dot and upper case are normalised by DNSName.
        .init(name: "SSM.US-EAST-1.AMAZONAWS.COM.", service: "ssm", region: "us-east-1", partition: .aws, kind: .standard),
        // FIPS.
        .init(name: "ssm-fips.us-east-1.amazonaws.com", service: "ssm", region: "us-east-1", partition: .aws, kind: .fips),
        .init(name: "ssmmessages-fips.ca-west-1.amazonaws.com", service: "ssmmessages", region: "ca-west-1", partition: .aws, kind: .fips),
        .init(name: "ssm-fips.us-gov-west-1.amazonaws.com", service: "ssm", region: "us-gov-west-1", partition: .awsUSGov, kind: .fips),
        // GovCloud.
        .init(name: "ssm.us-gov-west-1.amazonaws.com", service: "ssm", region: "us-gov-west-1", partition: .awsUSGov, kind: .standard),
        .init(name: "ec2messages.us-gov-east-1.amazonaws.com", service: "ec2messages", region: "us-gov-east-1", partition: .awsUSGov, kind: .standard),
        // China.
        .init(name: "ssm.cn-north-1.amazonaws.com.cn", service: "ssm", region: "cn-north-1", partition: .awsCN, kind: .standard),
        .init(name: "ssmmessages.cn-northwest-1.amazonaws.com.cn", service: "ssmmessages", region: "cn-northwest-1", partition: .awsCN, kind: .standard),
        // ISO partitions.
        .init(name: "ssm.us-iso-east-1.c2s.ic.gov", service: "ssm", region: "us-iso-east-1", partition: .awsISO, kind: .standard),
        .init(name: "ssm.us-isob-east-1.sc2s.sgov.gov", service: "ssm", region: "us-isob-east-1", partition: .awsISOB, kind: .standard),
        .init(name: "ssm.us-isof-south-1.csp.hci.ic.gov", service: "ssm", region: "us-isof-south-1", partition: .awsISOF, kind: .standard),
        .init(name: "ssm.eu-isoe-west-1.cloud.adc-e.uk", service: "ssm", region: "eu-isoe-west-1", partition: .awsISOE, kind: .standard),
        // European Sovereign Cloud.
        .init(name: "ssm.eusc-de-east-1.amazonaws.eu", service: "ssm", region: "eusc-de-east-1", partition: .awsEUSC, kind: .standard),
        // Dual-stack.
        .init(name: "ssm.us-east-1.api.aws", service: "ssm", region: "us-east-1", partition: .aws, kind: .dualStack),
        .init(name: "ssmmessages.us-gov-west-1.api.aws", service: "ssmmessages", region: "us-gov-west-1", partition: .awsUSGov, kind: .dualStack),
        .init(name: "ssm.cn-north-1.api.amazonwebservices.com.cn", service: "ssm", region: "cn-north-1", partition: .awsCN, kind: .dualStack),
        .init(name: "s3.dualstack.us-east-1.amazonaws.com", service: "s3", region: "us-east-1", partition: .aws, kind: .dualStack),
        // VPC endpoint names, with and without AZ, in each domain family.
        .init(name: "vpce-0123456789abcdef0-abcd1234.ssm.us-east-1.vpce.amazonaws.com", service: "ssm", region: "us-east-1", partition: .aws, kind: .vpcEndpoint),
        .init(name: "vpce-0123456789abcdef0-abcd1234-us-east-1a.ssmmessages.us-east-1.vpce.amazonaws.com", service: "ssmmessages", region: "us-east-1", partition: .aws, kind: .vpcEndpoint),
        .init(name: "vpce-01234567-x1y2z3w4.ec2messages.us-gov-west-1.vpce.amazonaws.com", service: "ec2messages", region: "us-gov-west-1", partition: .awsUSGov, kind: .vpcEndpoint),
        .init(name: "vpce-0123456789abcdef0-abcd1234.ssm.cn-north-1.vpce.amazonaws.com.cn", service: "ssm", region: "cn-north-1", partition: .awsCN, kind: .vpcEndpoint),
        .init(name: "vpce-0123456789abcdef0-abcd1234.ssm.us-iso-east-1.vpce.c2s.ic.gov", service: "ssm", region: "us-iso-east-1", partition: .awsISO, kind: .vpcEndpoint),
        .init(name: "vpce-0123456789abcdef0-abcd1234.ssm.us-isob-east-1.vpce.sc2s.sgov.gov", service: "ssm", region: "us-isob-east-1", partition: .awsISOB, kind: .vpcEndpoint),
        .init(name: "vpce-0123456789abcdef0-abcd1234.ssm.eusc-de-east-1.vpce.amazonaws.eu", service: "ssm", region: "eusc-de-east-1", partition: .awsEUSC, kind: .vpcEndpoint),
        // S3: bucket style, FIPS, and the S3 interface endpoint's bucket names.
        .init(name: "amazon-ssm-us-east-1.s3.us-east-1.amazonaws.com", service: "s3", region: "us-east-1", partition: .aws, kind: .standard),
        .init(name: "my.dotted.bucket.s3.eu-central-1.amazonaws.com", service: "s3", region: "eu-central-1", partition: .aws, kind: .standard),
        .init(name: "s3-fips.us-east-1.amazonaws.com", service: "s3", region: "us-east-1", partition: .aws, kind: .fips),
        .init(name: "bucket.vpce-0123456789abcdef0-abcd1234.s3.us-east-1.vpce.amazonaws.com", service: "s3", region: "us-east-1", partition: .aws, kind: .vpcEndpoint),
    ]

    @Test(arguments: positives)
    func identifies(_ c: IdentifyCase) {
        let identity = EndpointCatalog.identify(DNSName(c.name))
        #expect(identity == EndpointIdentity(service: c.service, region: c.region, partition: c.partition, kind: c.kind))
    }

    static let negatives: [String] = [
        "ssm.example.com",
        "notssm.us-east-1.amazonaws.com",
        "ssm.us-east-1.amazonaws.com.evil.com",
        "evil-ssm.us-east-1.amazonaws.com",
        "www.ssm.us-east-1.amazonaws.com",          // only S3 takes labels before the service
        "ssm.amazonaws.com",                         // no region
        "ssm.us-east-1a.amazonaws.com",              // an AZ is not a region
        "ssm.useast1.amazonaws.com",
        "ssm.us-east-.amazonaws.com",
        "ssm.1-east-1.amazonaws.com",
        "ssm.u-east-1.amazonaws.com",
        "ssm.us-east-1234.amazonaws.com",
        "ssm.cn-north-1.amazonaws.com",              // China region outside the China domain
        "ssm.us-east-1.amazonaws.com.cn",            // commercial region in the China domain
        "ssm.us-gov-west-1.c2s.ic.gov",              // GovCloud region in an ISO domain
        "ssm.us-iso-east-1.amazonaws.com",
        "ssm.us-east-1.c2s.ic.gov",
        "ssm.us-east-1.vpce.amazonaws.com",          // vpce domain needs a vpce label
        "x.ssm.us-east-1.vpce.amazonaws.com",
        "vpce-xyz-abcd1234.ssm.us-east-1.vpce.amazonaws.com",                        // id not hex
        "vpce-0123456789abcdef0-abcd1234-us-west-2a.ssm.us-east-1.vpce.amazonaws.com", // AZ of another region
        "vpce-0123456789abcdef0-abcd1234-us-east-1.ssm.us-east-1.vpce.amazonaws.com",  // AZ without letter
        "vpce-0123456789abcdef0-abcd1234.notssm.us-east-1.vpce.amazonaws.com",
        "a.vpce-0123456789abcdef0-abcd1234.ssm.us-east-1.vpce.amazonaws.com",          // only S3 has bucket labels
        "ssm..us-east-1.amazonaws.com",
        "ssm.us-east-1..amazonaws.com",
        ".ssm.us-east-1.amazonaws.com",
        "ssm_x.us-east-1.amazonaws.com",
        "ssm-fips-fips.us-east-1.amazonaws.com",
        "-fips.us-east-1.amazonaws.com",
        "",
        "amazonaws.com",
        "us-east-1.amazonaws.com",
    ]

    @Test(arguments: negatives)
    func rejects(_ name: String) {
        #expect(EndpointCatalog.identify(DNSName(name)) == nil)
    }

    @Test func rejectsEscapedAndNonASCIIBytes() {
        // "ssm\.us-east-1..." as DNSName escapes a dot inside a label: one label, not two.
        #expect(EndpointCatalog.identify(DNSName(bytes: Array(#"ssm\046us-east-1.amazonaws.com"#.utf8))) == nil)
        #expect(EndpointCatalog.identify(DNSName(bytes: Array("ssm.us-east-1.amazonaws.com".utf8) + [0xC3, 0xA9])) == nil)
        #expect(EndpointCatalog.identify(DNSName(bytes: [0x73, 0x73, 0x6D, 0x00, 0x2E, 0x61])) == nil)
        // Raw upper-case bytes (not normalised) are not a catalog name.
        #expect(EndpointCatalog.identify(DNSName(bytes: Array("SSM.us-east-1.amazonaws.com".utf8))) == nil)
    }

    @Test func rejectsOverlongLabelsAndNames() {
        let longLabel = String(repeating: "a", count: 64)
        #expect(EndpointCatalog.identify(DNSName("\(longLabel).s3.us-east-1.amazonaws.com")) == nil)
        let okLabel = String(repeating: "a", count: 63)
        #expect(EndpointCatalog.identify(DNSName("\(okLabel).s3.us-east-1.amazonaws.com"))?.service == "s3")
        let longName = Array(repeating: okLabel, count: 4).joined(separator: ".") + ".s3.us-east-1.amazonaws.com"
        #expect(EndpointCatalog.identify(DNSName(longName)) == nil)
    }

    @Test func everyPrefixAndSuffixOfACatalogNameIsHandled() {
        // No trap, and no strict prefix of a name identifies as the same endpoint.
        let name = Array("vpce-0123456789abcdef0-abcd1234-us-east-1a.ssm.us-east-1.vpce.amazonaws.com".utf8)
        for length in 0..<name.count {
            let prefix = EndpointCatalog.identify(DNSName(bytes: Array(name[..<length])))
            #expect(prefix?.kind != .vpcEndpoint)
            _ = EndpointCatalog.identify(DNSName(bytes: Array(name[length...])))
        }
    }

    @Test func cnameChainToAVPCEndpointNameKeepsTheServiceNamesIdentity() {
        let answers = [
            DNSResourceRecord(name: DNSName(ssmName), type: DNSType.cname, recordClass: 1, ttl: 60,
                              data: .cname(DNSName("vpce-0123456789abcdef0-abcd1234.ssm.us-east-1.vpce.amazonaws.com"))),
            DNSResourceRecord(name: DNSName("vpce-0123456789abcdef0-abcd1234.ssm.us-east-1.vpce.amazonaws.com"), type: DNSType.a,
                              recordClass: 1, ttl: 60, data: .address(ip("10.0.1.100"))),
        ]
        let identity = EndpointCatalog.identify(question: DNSName(ssmName), answers: answers)
        #expect(identity == EndpointIdentity(service: "ssm", region: "us-east-1", partition: .aws, kind: .standard))
        // A non-catalog alias whose CNAME is a catalog name counts as that endpoint.
        let aliased = EndpointCatalog.identify(question: DNSName("ssm.corp.example"), answers: answers)
        #expect(aliased?.service == "ssm")
        #expect(aliased?.kind == .vpcEndpoint)
        #expect(EndpointCatalog.identify(question: DNSName("www.example.com"), answers: []) == nil)
    }
}

// MARK: - names(region:)

@Suite struct EndpointCatalogNamesTests {
    private func texts(_ region: String) -> [String] { EndpointCatalog.names(region: region).map(\.name.text) }

    @Test func commercialUSRegionHasStandardFIPSAndDualStack() {
        let names = texts("us-east-1")
        #expect(names.prefix(3) == ["ssm.us-east-1.amazonaws.com", "ssm-fips.us-east-1.amazonaws.com", "ssm.us-east-1.api.aws"])
        #expect(names.contains("ssmmessages.us-east-1.amazonaws.com"))
        #expect(names.contains("ec2messages-fips.us-east-1.amazonaws.com"))
        #expect(names.contains("s3.us-east-1.api.aws"))
        #expect(names.count == EndpointCatalog.services.count * 3)
        // Every listed name identifies back as its entry.
        for entry in EndpointCatalog.names(region: "us-east-1") {
            #expect(EndpointCatalog.identify(entry.name) == entry.identity)
        }
    }

    @Test func requiredAndPurposes() {
        let entries = EndpointCatalog.names(region: "eu-west-1")
        #expect(entries.filter(\.required).map(\.identity.service) == ["ssm", "ssm", "ssmmessages", "ssmmessages", "ec2messages", "ec2messages"])
        #expect(entries.first { $0.identity.service == "ssmmessages" }?.purpose == .controlChannel)
        #expect(entries.first { $0.identity.service == "kms" }?.purpose == .encryption)
        // No FIPS outside the US and Canada.
        #expect(!entries.contains { $0.identity.kind == .fips })
    }

    @Test func partitionsUseTheirDomains() {
        #expect(texts("cn-north-1").prefix(2) == ["ssm.cn-north-1.amazonaws.com.cn", "ssm.cn-north-1.api.amazonwebservices.com.cn"])
        #expect(texts("us-gov-west-1").prefix(3) == ["ssm.us-gov-west-1.amazonaws.com", "ssm-fips.us-gov-west-1.amazonaws.com", "ssm.us-gov-west-1.api.aws"])
        #expect(texts("us-iso-east-1").first == "ssm.us-iso-east-1.c2s.ic.gov")
        #expect(texts("us-isob-east-1").first == "ssm.us-isob-east-1.sc2s.sgov.gov")
        #expect(texts("us-isof-south-1").first == "ssm.us-isof-south-1.csp.hci.ic.gov")
        #expect(texts("eu-isoe-west-1").first == "ssm.eu-isoe-west-1.cloud.adc-e.uk")
        #expect(texts("eusc-de-east-1").first == "ssm.eusc-de-east-1.amazonaws.eu")
        #expect(texts("us-iso-east-1").count == EndpointCatalog.services.count)
        for region in ["cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "us-isof-south-1", "eu-isoe-west-1", "eusc-de-east-1"] {
            for entry in EndpointCatalog.names(region: region) {
                #expect(EndpointCatalog.identify(entry.name) == entry.identity, "\(entry.name.text)")
            }
        }
    }

    @Test func notARegionGivesNothing() {
        #expect(texts("").isEmpty)
        #expect(texts("us-east-1a").isEmpty)
        #expect(texts("US-EAST-1").isEmpty)
        #expect(texts("global").isEmpty)
    }
}
