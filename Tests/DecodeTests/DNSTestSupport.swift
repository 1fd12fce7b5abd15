import Testing
@testable import Decode

// Builders for hand-made DNS messages (RFC 1035 §4.1) and a parse helper.

enum DNSBytes {
    static func header(id: UInt16 = 0x1234, flags: UInt16 = 0x8180, qd: Int = 1, an: Int = 0, ns: Int = 0, ar: Int = 0) -> [UInt8] {
        u16(Int(id)) + u16(Int(flags)) + u16(qd) + u16(an) + u16(ns) + u16(ar)
    }
    /// An uncompressed name from dotted text ("" is the root).
    static func name(_ text: String) -> [UInt8] {
        guard !text.isEmpty else { return [0] }
        return text.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }
    static func pointer(_ offset: Int) -> [UInt8] { [UInt8(0xC0 | (offset >> 8)), UInt8(offset & 0xFF)] }
    static func question(_ name: [UInt8], type: UInt16 = DNSType.a) -> [UInt8] { name + u16(Int(type)) + u16(1) }
    static func record(_ name: [UInt8], type: UInt16, recordClass: UInt16 = 1, ttl: UInt32 = 60, rdata: [UInt8],
                       rdLength: Int? = nil) -> [UInt8] {
        name + u16(Int(type)) + u16(Int(recordClass)) + u32(ttl) + u16(rdLength ?? rdata.count) + rdata
    }
    static func u16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

func parseDNS(_ bytes: [UInt8]) -> Result<DNSMessage, DNSParseError> {
    bytes.withUnsafeBytes { raw in
        Result { () throws(DNSParseError) -> DNSMessage in try DNSParser.parse(raw) }
    }
}

extension Result {
    var success: Success? { if case .success(let value) = self { value } else { nil } }
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}

extension DNSName {
    init(ascii: String) { self.init(bytes: Array(ascii.utf8)) }
}
