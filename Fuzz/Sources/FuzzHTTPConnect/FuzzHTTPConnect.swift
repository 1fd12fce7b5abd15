// Fuzz target: HTTPConnectParser on the first bytes of a proxy connection, both directions. The
// first input byte chooses a prefix length for a second parse, so partial requests are exercised.
// Property: a strict prefix of bytes that parsed as a complete request is never "not this protocol"
// when it still reaches past the request line's method.
import Decode
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPConnect(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var cursor = FuzzCursor(fuzzInput(data, size))
    let cutSeed = Int(cursor.byte() ?? 0)
    let bytes = cursor.rest

    let request = withExactCopy(of: bytes) { HTTPConnectParser.parseRequest($0) }
    let status = withExactCopy(of: bytes) { HTTPConnectParser.parseResponseStatus($0) }
    if case .complete(let connect) = request { blackHole(connect.host.count &+ Int(connect.port)) }
    if case .complete(let code) = status { blackHole(code) }

    let cut = bytes.isEmpty ? 0 : cutSeed % bytes.count
    let prefix = UnsafeRawBufferPointer(rebasing: bytes.prefix(cut))
    let prefixRequest = withExactCopy(of: prefix) { HTTPConnectParser.parseRequest($0) }
    _ = withExactCopy(of: prefix) { HTTPConnectParser.parseResponseStatus($0) }
    if case .complete = request, cut >= 8 {  // "CONNECT " is 8 bytes
        if case .notThisProtocol = prefixRequest {
            property(false, "prefix of \(cut) bytes of a complete CONNECT request is notThisProtocol")
        }
    }
    return 0
}
