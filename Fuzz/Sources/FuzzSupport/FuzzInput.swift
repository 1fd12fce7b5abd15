// What every fuzz target shares: exact-size copies of the input (so AddressSanitizer sees any read
// past a view), a cursor that splits the input into parts, and property checks that crash loudly.
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Exact-size buffers

/// Calls `body` with a fresh heap copy of `bytes` of exactly `bytes.count` bytes, freed afterwards.
/// A parser that reads one byte past its view then trips AddressSanitizer instead of reading
/// the neighbouring input.
public func withExactCopy<R>(of bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    // A zero-byte allocation still gives a unique, non-dereferenceable pointer.
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    defer { copy.deallocate() }
    if let source = bytes.baseAddress, let destination = copy.baseAddress, bytes.count > 0 {
        destination.copyMemory(from: source, byteCount: bytes.count)
    }
    return body(UnsafeRawBufferPointer(copy))
}

/// The libFuzzer input as a buffer (empty when libFuzzer passes a null pointer).
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
    guard let data, size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: size)
}

/// Reads every byte of `bytes` and folds them, so a view that points anywhere it should not is
/// dereferenced while AddressSanitizer watches. The result is passed to `blackHole`.
public func touchAll(_ bytes: UnsafeRawBufferPointer) {
    var sum: UInt8 = 0
    for byte in bytes { sum &+= byte }
    blackHole(sum)
}

@inline(never)
public func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

// MARK: - Splitting the input

/// A cursor over the fuzz input that hands out leading bytes and length-prefixed chunks.
public struct FuzzCursor {
    public private(set) var rest: UnsafeRawBufferPointer

    public init(_ bytes: UnsafeRawBufferPointer) { rest = bytes }

    /// The next byte, or nil when the input is used up.
    public mutating func byte() -> UInt8? {
        guard let first = rest.first else { return nil }
        rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst())
        return first
    }

    /// The next big-endian 16-bit value, or nil when fewer than 2 bytes remain.
    public mutating func uint16() -> UInt16? {
        guard rest.count >= 2 else { return nil }
        let value = UInt16(rest[0]) << 8 | UInt16(rest[1])
        rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(2))
        return value
    }

    /// The next chunk: a 16-bit big-endian length, then that many bytes (or all that is left when the
    /// length runs past the end). Nil when the input is used up.
    public mutating func chunk() -> UnsafeRawBufferPointer? {
        guard let length = uint16() else {
            if rest.isEmpty { return nil }
            let all = rest
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(rest.count))
            return all
        }
        let take = min(Int(length), rest.count)
        let part = UnsafeRawBufferPointer(rebasing: rest.prefix(take))
        rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(take))
        return part
    }
}

// MARK: - Properties

/// True unless the environment says FUZZ_PROPERTIES=0 (then only crashes and sanitizer reports count).
public let propertyChecksEnabled: Bool = {
    guard let value = getenv("FUZZ_PROPERTIES") else { return true }
    return String(cString: value) != "0"
}()

/// Aborts (which libFuzzer saves as a crasher) when a property of the contract does not hold.
/// The message starts with "PROPERTY" so a property failure is told from a crash at a glance.
public func property(_ holds: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard propertyChecksEnabled, !holds() else { return }
    let line = Array("PROPERTY FAILED: \(message())\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    abort()
}
