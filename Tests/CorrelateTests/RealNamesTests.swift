@testable import Correlate
import Foundation
import Testing

// The catalog against every SNI and DNS name tshark decodes in the shared corpus of 142 real public
// captures (read from /work/shared, never copied into the repo): only the one real SSM-catalog
// name in it identifies; no other name is mistaken for an endpoint.

private let corpusExpectations = "/work/shared/corpus/expected.json"

@Suite(.enabled(if: FileManager.default.fileExists(atPath: corpusExpectations), "shared corpus not on this machine"))
struct RealNamesTests {
    private func corpusNames() throws -> Set<String> {
        let data = try Data(contentsOf: URL(fileURLWithPath: corpusExpectations))
        let captures = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var names: Set<String> = []
        for case let capture as [String: Any] in captures.values {
            for case let sni as [Any] in capture["sni"] as? [Any] ?? [] {
                if let name = sni.last as? String { names.insert(name) }
            }
            for case let answer as [Any] in capture["dns"] as? [Any] ?? [] {
                if let name = answer.first as? String { names.insert(name) }
            }
        }
        return names
    }

    @Test func onlyTheRealS3BucketNameIdentifies() throws {
        let names = try corpusNames()
        #expect(names.count > 500)
        let identified = names.filter { EndpointCatalog.identify(DNSName($0)) != nil }
        #expect(identified == ["bolt-prod-s3-eu-west-1.s3.eu-west-1.amazonaws.com"])
        let identity = EndpointCatalog.identify(DNSName("bolt-prod-s3-eu-west-1.s3.eu-west-1.amazonaws.com"))
        #expect(identity == EndpointIdentity(service: "s3", region: "eu-west-1", partition: .aws, kind: .standard))
        // An RDS name in the same domain is no catalog service.
        #expect(names.contains("database-1.cyx4x7yvdoay.us-east-1.rds.amazonaws.com"))
    }
}
