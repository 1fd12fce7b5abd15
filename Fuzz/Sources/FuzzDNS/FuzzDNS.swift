// Fuzz target: DNSParser.parse over one DNS message (UDP payload, or a TCP message after its length).
// Any input must give a message or a typed error, never a trap or a read outside the bytes.
import Decode
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    withExactCopy(of: fuzzInput(data, size)) { bytes in
        do {
            let message = try DNSParser.parse(bytes)
            // Use what was parsed, as the flow tracker would.
            var total = message.questions.count &+ message.answers.count &+ message.authority.count
            total &+= message.additional.count
            for question in message.questions { total &+= question.name.bytes.count }
            for record in message.answers {
                if case .cname(let name) = record.data { total &+= name.bytes.count }
            }
            blackHole(total)
            property(message.questions.count <= bytes.count, "more questions than bytes")
        } catch {
            blackHole(error)
        }
    }
    return 0
}
