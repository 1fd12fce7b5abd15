// Fuzz target: TLSServerRecordWalker.feed over the bytes a server sent. The first two input bytes
// choose where the rest is split into two feeds. Property: the events are the same whether the
// bytes come in one feed, in two, or (for short inputs) one byte at a time.
import Decode
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerRecords(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var cursor = FuzzCursor(fuzzInput(data, size))
    let splitSeed = Int(cursor.uint16() ?? 0)
    let stream = cursor.rest
    let split = stream.isEmpty ? 0 : splitSeed % (stream.count + 1)

    var whole = TLSServerRecordWalker()
    withExactCopy(of: stream) { whole.feed($0) }

    var twoFeeds = TLSServerRecordWalker()
    withExactCopy(of: UnsafeRawBufferPointer(rebasing: stream.prefix(split))) { twoFeeds.feed($0) }
    withExactCopy(of: UnsafeRawBufferPointer(rebasing: stream.dropFirst(split))) { twoFeeds.feed($0) }
    property(whole.events == twoFeeds.events, "events differ when split at \(split) of \(stream.count)")

    if stream.count <= 512 {
        var drip = TLSServerRecordWalker()
        for index in stream.indices {
            withExactCopy(of: UnsafeRawBufferPointer(rebasing: stream[index ..< index + 1])) { drip.feed($0) }
        }
        property(whole.events == drip.events, "events differ when fed one byte at a time")
    }
    return 0
}
