import Foundation
import Testing
@testable import Decode

// Shared helpers for the DNS, TLS and HTTP tests: fixtures, progress checks, TLS framing.

// MARK: - Fixtures

enum AppFixture {
    /// The bytes of Fixtures/<name>.bin.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Fixtures"),
                               "missing fixture \(name).bin")
        return Array(try Data(contentsOf: url))
    }
}

// MARK: - ParseProgress

enum ParseOutcome: Equatable {
    case complete, needMoreBytes, notThisProtocol
}

extension ParseProgress {
    var kind: ParseOutcome {
        switch self {
        case .complete: .complete
        case .needMoreBytes: .needMoreBytes
        case .notThisProtocol: .notThisProtocol
        }
    }
    var value: Value? {
        if case .complete(let value) = self { value } else { nil }
    }
}

// MARK: - TLS framing helpers

enum TLSTestFraming {
    /// The handshake bytes carried by a run of TLS records (headers dropped, fragments joined).
    static func handshakeBytes(ofRecords records: [UInt8]) -> [UInt8] {
        var offset = 0
        var out: [UInt8] = []
        while offset + 5 <= records.count {
            let length = Int(records[offset + 3]) << 8 | Int(records[offset + 4])
            let end = min(records.count, offset + 5 + length)
            out += records[(offset + 5)..<end]
            offset = end
        }
        return out
    }

    /// Frames handshake bytes into TLS handshake records of at most `fragmentSize` body bytes each.
    static func records(ofHandshake handshake: [UInt8], fragmentSize: Int, version: UInt16 = 0x0301) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < handshake.count {
            let end = min(handshake.count, offset + fragmentSize)
            out += [22, UInt8(version >> 8), UInt8(version & 0xFF), UInt8((end - offset) >> 8), UInt8((end - offset) & 0xFF)]
            out += handshake[offset..<end]
            offset = end
        }
        return out
    }

    static func u16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
    static func u24(_ value: Int) -> [UInt8] { [UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
}

/// Builds ClientHellos field by field, for the malformed variants.
struct ClientHelloBuilder {
    var legacyVersion: UInt16 = 0x0303
    var sessionID = [UInt8](repeating: 0x5A, count: 32)
    var cipherSuites: [UInt16] = [0x1301, 0x1302, 0x1303, 0xC02B]
    var compressionMethods: [UInt8] = [0]
    var extensions: [(type: UInt16, data: [UInt8])] = []

    static func serverName(_ host: String) -> (type: UInt16, data: [UInt8]) {
        let name = Array(host.utf8)
        let entry = [0] + TLSTestFraming.u16(name.count) + name
        return (0, TLSTestFraming.u16(entry.count) + entry)
    }
    static func alpn(_ names: [String]) -> (type: UInt16, data: [UInt8]) {
        let list = names.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        return (16, TLSTestFraming.u16(list.count) + list)
    }
    static func supportedVersions(_ versions: [UInt16]) -> (type: UInt16, data: [UInt8]) {
        let list = versions.flatMap { TLSTestFraming.u16(Int($0)) }
        return (43, [UInt8(list.count)] + list)
    }
    static func keyShare(_ shares: [(group: UInt16, keyLength: Int)]) -> (type: UInt16, data: [UInt8]) {
        let list = shares.flatMap { TLSTestFraming.u16(Int($0.group)) + TLSTestFraming.u16($0.keyLength)
                                    + [UInt8](repeating: 0x42, count: $0.keyLength) }
        return (51, TLSTestFraming.u16(list.count) + list)
    }

    /// The ClientHello body (after msg_type and length).
    var body: [UInt8] {
        var out = TLSTestFraming.u16(Int(legacyVersion)) + [UInt8](repeating: 0xA5, count: 32)
        out += [UInt8(sessionID.count)] + sessionID
        out += TLSTestFraming.u16(cipherSuites.count * 2) + cipherSuites.flatMap { TLSTestFraming.u16(Int($0)) }
        out += [UInt8(compressionMethods.count)] + compressionMethods
        let block = extensions.flatMap { TLSTestFraming.u16(Int($0.type)) + TLSTestFraming.u16($0.data.count) + $0.data }
        out += TLSTestFraming.u16(block.count) + block
        return out
    }
    var handshake: [UInt8] { [1] + TLSTestFraming.u24(body.count) + body }
    var record: [UInt8] { TLSTestFraming.records(ofHandshake: handshake, fragmentSize: 16_384) }
}

func parseClientHello(_ bytes: [UInt8]) -> ParseProgress<ClientHelloInfo> {
    bytes.withUnsafeBytes { ClientHelloParser.parse($0) }
}
