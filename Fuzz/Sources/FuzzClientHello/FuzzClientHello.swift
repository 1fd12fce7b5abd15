// Fuzz target: ClientHelloParser.parse over the first bytes a client sent on a TCP connection.
// Properties (from the parser's documented contract):
//   - a parsed ClientHello came in at least one record of at least a record header and handshake header;
//   - every prefix of bytes that parse is a valid prefix: `.needMoreBytes`, or `.complete` with the
//     same result when the prefix still holds the whole ClientHello ("bytes after it are ignored").
//     Never `.notThisProtocol`: that split is what lets TCP reassembly wait for a second segment.
import Decode
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientHello(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let progress = withExactCopy(of: input) { ClientHelloParser.parse($0) }
    guard case .complete(let hello) = progress else { return 0 }
    blackHole(hello.serverName?.count ?? 0)
    blackHole(hello.offersPostQuantum)
    // Record header (5) + handshake header (4); recordBytes may pass the input's end when the
    // record is longer than the ClientHello it carries.
    property(hello.recordBytes >= 9, "recordBytes \(hello.recordBytes) < 9")
    property(hello.recordCount >= 1, "recordCount \(hello.recordCount) < 1")
    for cut in Set([size - 1, size / 2, size / 3, 9, 5, 1, 0]) where cut >= 0 && cut < size {
        let prefix = UnsafeRawBufferPointer(rebasing: input.prefix(cut))
        switch withExactCopy(of: prefix, { ClientHelloParser.parse($0) }) {
        case .needMoreBytes:
            continue
        case .complete(let shorter):
            property(shorter == hello, "prefix of \(cut)/\(size) bytes parses to a different ClientHello")
        case .notThisProtocol:
            property(false, "prefix of \(cut)/\(size) bytes of a ClientHello is notThisProtocol")
        }
    }
    return 0
}
