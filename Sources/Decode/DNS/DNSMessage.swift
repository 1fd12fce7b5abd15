// DNS message model (RFC 1035 §4, RFC 6891 for EDNS).

/// A domain name in presentation form, lower-cased ASCII, without the trailing dot ("" is the root).
/// Inside a label '.' and '\' are escaped as `\.` and `\\`, and bytes outside printable ASCII
/// (0x21...0x7E) as `\DDD` (RFC 1035 §5.1, RFC 4343).
public struct DNSName: Hashable, Sendable, Comparable {
    public var bytes: [UInt8]
    @inlinable public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Hashes the bytes as one block (an array of bytes would hash them one by one).
    @inlinable public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
    /// The name from text, lower-cased, with any trailing dot removed.
    public init(_ text: String) {
        var b = Array(text.utf8)
        if b.last == UInt8(ascii: ".") { b.removeLast() }
        for i in b.indices where b[i] >= 0x41 && b[i] <= 0x5A { b[i] |= 0x20 }
        self.bytes = b
    }
    /// The name as text (for report writers).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public static func < (a: DNSName, b: DNSName) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}

/// DNS RR types ssmpath names.
public enum DNSType {
    public static let a: UInt16 = 1
    public static let ns: UInt16 = 2
    public static let cname: UInt16 = 5
    public static let soa: UInt16 = 6
    public static let ptr: UInt16 = 12
    public static let mx: UInt16 = 15
    public static let txt: UInt16 = 16
    public static let aaaa: UInt16 = 28
    public static let srv: UInt16 = 33
    public static let opt: UInt16 = 41
    public static let https: UInt16 = 65
}

/// DNS response codes (RFC 1035 §4.1.1, RFC 6895).
public enum DNSRcode {
    public static let noError: UInt16 = 0
    public static let formErr: UInt16 = 1
    public static let servFail: UInt16 = 2
    public static let nxDomain: UInt16 = 3
    public static let notImp: UInt16 = 4
    public static let refused: UInt16 = 5
}

public struct DNSQuestion: Hashable, Sendable {
    public var name: DNSName
    public var type: UInt16
    public var recordClass: UInt16
    public init(name: DNSName, type: UInt16, recordClass: UInt16) { self.name = name; self.type = type; self.recordClass = recordClass }
}

/// Resource record data: addresses and CNAME targets decoded, everything else kept as type + length.
public enum DNSRecordData: Hashable, Sendable {
    case address(IPAddress)
    case cname(DNSName)
    case other(length: Int)
}

public struct DNSResourceRecord: Hashable, Sendable {
    public var name: DNSName
    public var type: UInt16
    public var recordClass: UInt16
    public var ttl: UInt32
    public var data: DNSRecordData
    public init(name: DNSName, type: UInt16, recordClass: UInt16, ttl: UInt32, data: DNSRecordData) {
        self.name = name; self.type = type; self.recordClass = recordClass; self.ttl = ttl; self.data = data
    }
}

/// Things wrong with a message that was still usable (Suricata's DNS event flags, in spirit).
public struct DNSAnomalies: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// A compression pointer formed a loop, pointed at itself, or pointed forward.
    public static let badPointer = DNSAnomalies(rawValue: 1 << 0)
    /// A name exceeded 255 bytes or 128 labels; it was cut.
    public static let nameTooLong = DNSAnomalies(rawValue: 1 << 1)
    /// Section counts promised more records than the message holds; parsing stopped there.
    public static let truncatedRecords = DNSAnomalies(rawValue: 1 << 2)
    /// An rdlength ran past the end of the message, or an A/AAAA had the wrong length.
    public static let badRdata = DNSAnomalies(rawValue: 1 << 3)
    /// Bytes left over after the last record.
    public static let trailingBytes = DNSAnomalies(rawValue: 1 << 4)
    /// A label had an extended or reserved type (length octet 0x40...0xBF, RFC 6891 §5); the name was cut.
    public static let badLabelType = DNSAnomalies(rawValue: 1 << 5)
}

/// A parsed DNS message. Sections hold what could be parsed before any problem (see `anomalies`).
public struct DNSMessage: Hashable, Sendable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8
    public var authoritative: Bool
    public var truncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    /// Response code, including the upper 8 bits from an EDNS OPT record when present.
    public var rcode: UInt16
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authority: [DNSResourceRecord]
    public var additional: [DNSResourceRecord]
    /// EDNS(0) UDP payload size from the OPT record, if one was present.
    public var ednsUDPSize: UInt16?
    public var anomalies: DNSAnomalies

    public init(id: UInt16, isResponse: Bool, opcode: UInt8, authoritative: Bool, truncated: Bool,
                recursionDesired: Bool, recursionAvailable: Bool, rcode: UInt16,
                questions: [DNSQuestion], answers: [DNSResourceRecord], authority: [DNSResourceRecord],
                additional: [DNSResourceRecord], ednsUDPSize: UInt16?, anomalies: DNSAnomalies) {
        self.id = id; self.isResponse = isResponse; self.opcode = opcode; self.authoritative = authoritative
        self.truncated = truncated; self.recursionDesired = recursionDesired; self.recursionAvailable = recursionAvailable
        self.rcode = rcode; self.questions = questions; self.answers = answers; self.authority = authority
        self.additional = additional; self.ednsUDPSize = ednsUDPSize; self.anomalies = anomalies
    }
}

/// Why a DNS message could not be used at all.
public enum DNSParseError: Error, Hashable, Sendable {
    /// Fewer than the 12 header bytes.
    case shortHeader(count: Int)
    /// The question section could not be parsed (its name or fixed fields run past the end).
    case badQuestion(offset: Int)
}

/// Parses DNS messages (UDP payloads, or one TCP-framed message without its 2-byte length).
public enum DNSParser {
    /// Parses a whole message. Problems after the first question are recorded in `anomalies`
    /// and the records parsed so far are kept.
    ///
    /// On short input: fewer than 12 bytes throws `.shortHeader`; a first question cut short throws
    /// `.badQuestion`; any later cut returns the message with `.truncatedRecords` (a record's fixed
    /// fields or name cut) or `.badRdata` (an rdlength past the end).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(DNSParseError) -> DNSMessage {
        try DNSMessageReader.read(bytes)
    }
}
