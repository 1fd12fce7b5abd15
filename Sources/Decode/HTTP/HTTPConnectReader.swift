// HTTP/1.1 request line and status line (RFC 9112 §3, §4), for CONNECT (RFC 9110 §9.3.6).

enum HTTPConnectReader {
    /// Longest header block accepted before giving up on the bytes as HTTP.
    static let maxHeaderBytes = 8 * 1024
    private static let connectPrefix: StaticString = "CONNECT "
    private static let versionPrefix: StaticString = "HTTP/1."
    private static let space = UInt8(ascii: " ")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")

    // MARK: - Request

    static func parseRequest(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<ConnectRequest> {
        // Method (case-sensitive, RFC 9110 §9.1): reject as soon as a byte cannot match.
        let prefixResult = matchPrefix(connectPrefix, in: bytes)
        guard prefixResult != .mismatch else { return .notThisProtocol }
        guard prefixResult == .matched else { return .needMoreBytes }

        // Request line: CONNECT SP authority-form SP HTTP-version CRLF.
        let limit = min(bytes.count, maxHeaderBytes)
        guard let lineEnd = findLineFeed(bytes, from: 0, before: limit) else {
            return bytes.count >= maxHeaderBytes ? .notThisProtocol : .needMoreBytes
        }
        let line = trimCarriageReturn(bytes, start: 0, end: lineEnd)
        guard let authorityEnd = firstIndex(of: space, in: bytes, from: connectPrefix.utf8CodeUnitCount, to: line),
              let request = parseAuthority(bytes, from: connectPrefix.utf8CodeUnitCount, to: authorityEnd),
              isHTTPVersion(bytes, from: authorityEnd &+ 1, to: line) else { return .notThisProtocol }

        // Header fields until an empty line.
        var lineStart = lineEnd &+ 1
        while true {
            guard let end = findLineFeed(bytes, from: lineStart, before: limit) else {
                return bytes.count >= maxHeaderBytes ? .notThisProtocol : .needMoreBytes
            }
            if trimCarriageReturn(bytes, start: lineStart, end: end) == lineStart { return .complete(request) }
            lineStart = end &+ 1
        }
    }

    /// authority-form (RFC 9112 §3.2.3): host ":" port, host an IP-literal in brackets or a name.
    private static func parseAuthority(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> ConnectRequest? {
        guard start < end else { return nil }
        let hostStart: Int
        let hostEnd: Int
        let colon: Int
        if bytes[start] == UInt8(ascii: "[") { // checked: start < end <= count
            guard let close = firstIndex(of: UInt8(ascii: "]"), in: bytes, from: start &+ 1, to: end),
                  close &+ 1 < end, bytes[close &+ 1] == UInt8(ascii: ":") else { return nil }
            hostStart = start &+ 1
            hostEnd = close
            colon = close &+ 1
        } else {
            guard let lastColon = lastIndex(of: UInt8(ascii: ":"), in: bytes, from: start, to: end) else { return nil }
            hostStart = start
            hostEnd = lastColon
            colon = lastColon
        }
        guard hostStart < hostEnd else { return nil }
        for index in hostStart..<hostEnd {
            let byte = bytes[index] // inside the line
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "["), byte != UInt8(ascii: "]"),
                  byte != UInt8(ascii: "/"), byte != UInt8(ascii: "@") else { return nil }
            if hostStart == start, byte == UInt8(ascii: ":") { return nil }
        }
        guard let port = parseDecimal(bytes, from: colon &+ 1, to: end, maxDigits: 5),
              port >= 1, let port16 = UInt16(exactly: port) else { return nil }
        return ConnectRequest(host: Array(UnsafeRawBufferPointer(rebasing: bytes[hostStart..<hostEnd])), port: port16)
    }

    // MARK: - Status line

    static func parseResponseStatus(_ bytes: UnsafeRawBufferPointer) -> ParseProgress<Int> {
        // status-line (RFC 9112 §4): HTTP-version SP status-code SP [reason-phrase] CRLF.
        let prefixResult = matchPrefix(versionPrefix, in: bytes)
        guard prefixResult != .mismatch else { return .notThisProtocol }
        guard prefixResult == .matched else { return .needMoreBytes }
        let minorOffset = versionPrefix.utf8CodeUnitCount
        let codeStart = minorOffset &+ 2
        // "HTTP/1." DIGIT SP DIGIT DIGIT DIGIT (SP | CR | LF)
        for index in minorOffset..<min(bytes.count, codeStart &+ 4) {
            let byte = bytes[index] // index < count
            let valid: Bool
            switch index &- minorOffset {
            case 0: valid = isDigit(byte)
            case 1: valid = byte == space
            case 2, 3, 4: valid = isDigit(byte)
            default: valid = byte == space || byte == carriageReturn || byte == lineFeed
            }
            guard valid else { return .notThisProtocol }
        }
        guard bytes.count >= codeStart &+ 4,
              let code = parseDecimal(bytes, from: codeStart, to: codeStart &+ 3, maxDigits: 3) else {
            return .needMoreBytes
        }
        return .complete(code)
    }

    // MARK: - Byte helpers

    private enum PrefixMatch { case matched, partial, mismatch }

    /// Compares the start of `bytes` with `prefix`: every byte at hand must match.
    private static func matchPrefix(_ prefix: StaticString, in bytes: UnsafeRawBufferPointer) -> PrefixMatch {
        let expected = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        let compared = min(bytes.count, expected.count)
        for index in 0..<compared where bytes[index] != expected[index] { return .mismatch } // index < both counts
        return compared == expected.count ? .matched : .partial
    }

    private static func findLineFeed(_ bytes: UnsafeRawBufferPointer, from start: Int, before limit: Int) -> Int? {
        firstIndex(of: lineFeed, in: bytes, from: start, to: limit)
    }

    /// The end of a line without its trailing CR, if any.
    private static func trimCarriageReturn(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) -> Int {
        end > start && bytes[end &- 1] == carriageReturn ? end &- 1 : end // end - 1 >= start >= 0
    }

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var index = max(start, 0)
        let stop = min(end, bytes.count)
        while index < stop {
            if bytes[index] == byte { return index } // index < count
            index &+= 1
        }
        return nil
    }

    private static func lastIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var index = min(end, bytes.count)
        while index > max(start, 0) {
            index &-= 1
            if bytes[index] == byte { return index } // start <= index < count
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A non-empty run of at most `maxDigits` decimal digits filling start..<end.
    private static func parseDecimal(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, maxDigits: Int) -> Int? {
        guard start < end, end &- start <= maxDigits, end <= bytes.count, start >= 0 else { return nil }
        var value = 0
        for index in start..<end {
            let byte = bytes[index] // checked above
            guard isDigit(byte) else { return nil }
            value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
        }
        return value
    }

    /// "HTTP/1." DIGIT filling start..<end.
    private static func isHTTPVersion(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        guard end &- start == versionPrefix.utf8CodeUnitCount &+ 1, start >= 0, end <= bytes.count else { return false }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
        return matchPrefix(versionPrefix, in: rest) == .matched && isDigit(rest[rest.count &- 1]) // count == 8
    }
}
