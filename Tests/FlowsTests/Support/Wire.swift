import Foundation
import Testing
@testable import Flows
import Capture
import Decode

// Builders that feed synthesized packets to a tracker: each packet gets the next frame number and
// a timestamp that advances by one millisecond unless the test sets the time.

struct Endpoint: Hashable {
    var address: IPAddress
    var port: UInt16
}

enum Addresses {
    static let instance = IPAddress.v4(0x0A00_0005)          // 10.0.0.5
    static let endpointPrivate = IPAddress.v4(0x0A00_0A0A)   // 10.0.10.10
    static let publicService = IPAddress.v4(0xCB00_710A)     // 203.0.113.10
    static let otherPublic = IPAddress.v4(0xC633_640B)       // 198.51.100.11
    static let vpcResolver = IPAddress.v4(0x0A00_0002)       // 10.0.0.2
    static let adResolver = IPAddress.v4(0x0A01_0064)        // 10.1.0.100
    static let instanceV6 = IPAddress.v6(high: 0x2001_0db8_0000_0001, low: 5)
}

/// Feeds packets to `sink`, numbering frames from 1 and advancing time.
final class Wire {
    static let epoch: Int64 = 1_764_000_000_000_000_000
    var nanoseconds: Int64 = Wire.epoch
    var frame: Int64 = 0
    let sink: (DecodedPacket) -> Void

    init(_ sink: @escaping (DecodedPacket) -> Void) { self.sink = sink }

    var now: PacketMoment { PacketMoment(time: Timestamp(nanoseconds: nanoseconds), ref: PacketRef(fileIndex: 0, number: frame)) }

    /// Sets the clock to `seconds` after the epoch.
    func at(_ seconds: Double) { nanoseconds = Wire.epoch + Int64(seconds * 1_000_000_000) }
    func advance(_ seconds: Double) { nanoseconds += Int64(seconds * 1_000_000_000) }

    @discardableResult
    func tcp(_ from: Endpoint, _ to: Endpoint, _ flags: TCPFlags, seq: UInt32, ack: UInt32 = 0,
             payload: [UInt8] = [], claimedLength: Int? = nil) -> PacketMoment {
        frame += 1
        nanoseconds += 1_000_000
        let header = TCPHeaderFields(sourcePort: from.port, destinationPort: to.port, sequenceNumber: seq,
                                     acknowledgementNumber: ack, flags: flags, window: 65_535, options: TCPOptions())
        deliver(from: from.address, to: to.address, transport: .tcp(header), payload: payload, claimedLength: claimedLength)
        return now
    }

    @discardableResult
    func udp(_ from: Endpoint, _ to: Endpoint, payload: [UInt8]) -> PacketMoment {
        frame += 1
        nanoseconds += 1_000_000
        deliver(from: from.address, to: to.address, transport: .udp(sourcePort: from.port, destinationPort: to.port),
                payload: payload, claimedLength: nil)
        return now
    }

    private func deliver(from: IPAddress, to: IPAddress, transport: TransportHeader, payload: [UInt8], claimedLength: Int?) {
        let moment = now
        payload.withUnsafeBytes { bytes in
            sink(DecodedPacket(timestamp: moment.time, ref: moment.ref, source: from, destination: to, transport: transport,
                               payload: bytes, payloadLength: claimedLength ?? bytes.count, frameLength: 54 + bytes.count))
        }
    }
}

/// One TCP connection between `client` and `server`, with sequence numbers kept for the test.
final class TCPSession {
    let wire: Wire
    let client: Endpoint
    let server: Endpoint
    let clientISN: UInt32
    let serverISN: UInt32
    /// Sequence number of the next new byte each way.
    private(set) var clientNext: UInt32
    private(set) var serverNext: UInt32

    init(_ wire: Wire, client: Endpoint, server: Endpoint, clientISN: UInt32 = 1_000, serverISN: UInt32 = 900_000) {
        self.wire = wire; self.client = client; self.server = server
        self.clientISN = clientISN; self.serverISN = serverISN
        clientNext = clientISN &+ 1
        serverNext = serverISN &+ 1
    }

    @discardableResult func syn() -> PacketMoment { wire.tcp(client, server, .syn, seq: clientISN) }
    @discardableResult func synAck() -> PacketMoment { wire.tcp(server, client, [.syn, .ack], seq: serverISN, ack: clientISN &+ 1) }
    @discardableResult func ack() -> PacketMoment { wire.tcp(client, server, .ack, seq: clientNext, ack: serverNext) }
    @discardableResult func serverAck() -> PacketMoment { wire.tcp(server, client, .ack, seq: serverNext, ack: clientNext) }

    @discardableResult
    func handshake() -> PacketMoment { syn(); synAck(); return ack() }

    /// Sends client bytes at stream offset `offset` (0 = the first byte after the SYN); nil = next.
    @discardableResult
    func clientSends(_ bytes: [UInt8], at offset: Int? = nil, flags: TCPFlags = [.ack, .psh]) -> PacketMoment {
        let seq = offset.map { clientISN &+ 1 &+ UInt32(truncatingIfNeeded: $0) } ?? clientNext
        let end = seq &+ UInt32(truncatingIfNeeded: bytes.count)
        if Int32(bitPattern: end &- clientNext) > 0 { clientNext = end }
        return wire.tcp(client, server, flags, seq: seq, ack: serverNext, payload: bytes)
    }

    @discardableResult
    func serverSends(_ bytes: [UInt8], at offset: Int? = nil, flags: TCPFlags = [.ack, .psh]) -> PacketMoment {
        let seq = offset.map { serverISN &+ 1 &+ UInt32(truncatingIfNeeded: $0) } ?? serverNext
        let end = seq &+ UInt32(truncatingIfNeeded: bytes.count)
        if Int32(bitPattern: end &- serverNext) > 0 { serverNext = end }
        return wire.tcp(server, client, flags, seq: seq, ack: clientNext, payload: bytes)
    }

    @discardableResult func clientFin() -> PacketMoment {
        defer { clientNext = clientNext &+ 1 }
        return wire.tcp(client, server, [.fin, .ack], seq: clientNext, ack: serverNext)
    }
    @discardableResult func serverFin() -> PacketMoment {
        defer { serverNext = serverNext &+ 1 }
        return wire.tcp(server, client, [.fin, .ack], seq: serverNext, ack: clientNext)
    }
    @discardableResult func clientRst() -> PacketMoment { wire.tcp(client, server, [.rst, .ack], seq: clientNext, ack: serverNext) }
    @discardableResult func serverRst() -> PacketMoment { wire.tcp(server, client, [.rst, .ack], seq: serverNext, ack: clientNext) }

    /// A complete close: FIN, ACK, FIN, ACK.
    func closeNormally() {
        clientFin(); serverAck(); serverFin(); ack()
    }
}

/// The bytes of a fixture file in Tests/FlowsTests/Fixtures.
func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Fixtures"))
    return try [UInt8](Data(contentsOf: url))
}

/// Splits `bytes` at the given offsets.
func split(_ bytes: [UInt8], at offsets: [Int]) -> [[UInt8]] {
    var pieces: [[UInt8]] = []
    var start = 0
    for offset in offsets + [bytes.count] where offset > start && offset <= bytes.count {
        pieces.append(Array(bytes[start..<offset]))
        start = offset
    }
    return pieces
}
