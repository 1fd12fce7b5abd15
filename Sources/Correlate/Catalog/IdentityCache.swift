import Flows

/// Memoises `EndpointCatalog.identify` for one analysis: a capture repeats the same few names
/// thousands of times. Bounded: past `capacity` distinct names the cache starts over.
struct IdentityCache {
    static let capacity = 65_536
    private var known: [DNSName: EndpointIdentity?] = [:]

    mutating func identify(_ name: DNSName) -> EndpointIdentity? {
        // Most names of a capture are no catalog name; telling so costs less than hashing them.
        guard CatalogDomain.mayEndInCatalogDomain(name.bytes) else { return nil }
        if let cached = known[name] { return cached }
        let identity = EndpointCatalog.identify(name)
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[name] = identity
        return identity
    }

    /// The first catalog name of a CNAME chain (see `EndpointCatalog.identify(question:answers:)`).
    mutating func identify(question: DNSName, answers: [DNSResourceRecord]) -> EndpointIdentity? {
        if let identity = identify(question) { return identity }
        for record in answers {
            if case .cname(let target) = record.data, let identity = identify(target) { return identity }
        }
        return nil
    }
}
