// A gzip file as a `FILE *`: zlib's gzread behind glibc's fopencookie, so libpcap streams a
// compressed capture with no temporary file.

import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// Opens gzip files with zlib; the one place that calls `gz*`.
enum GzipStream {
    /// A zlib read buffer large enough that libpcap's small reads do not each reach inflate.
    static let bufferSize: UInt32 = 256 * 1024

    /// `gzopen(path, "rb")`, or nil with `errno` set.
    static func open(path: String) -> gzFile? {
        guard let file = gzopen(path, "rb") else { return nil }
        _ = gzbuffer(file, bufferSize)
        return file
    }

    /// Reads up to `buffer.count` decompressed bytes. Returns the count (short only at the end of the
    /// stream) or the zlib error.
    static func read(_ file: gzFile, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, GzipFailure> {
        guard let base = buffer.baseAddress, let want = UInt32(exactly: buffer.count) else { return .success(0) }
        var total: UInt32 = 0
        while total < want {
            let got = gzread(file, base.advanced(by: Int(total)), want &- total)
            if got < 0 { return .failure(failure(of: file)) }
            if got == 0 { break }
            total &+= UInt32(got)
        }
        // A stream cut short reads as end of data; zlib reports it through gzerror.
        if total < want, case let problem = failure(of: file), problem.code != Z_OK { return .failure(problem) }
        return .success(Int(total))
    }

    /// `gzerror`: the stream's error code and message (`Z_OK` when none).
    static func failure(of file: gzFile) -> GzipFailure {
        var code: Int32 = Z_OK
        var text = gzerror(file, &code).map { String(cString: $0) } ?? ""
        // zlib prefixes the path ("PATH: unexpected end of file"); messages name the path themselves.
        if let range = text.ranges(of: ": ").last { text = String(text[range.upperBound...]) }
        return GzipFailure(code: code, text: text)
    }

    /// `gzclose`.
    static func close(_ file: gzFile) { _ = gzclose(file) }

    /// Wraps an open gzFile in a read-only `FILE *` (fopencookie). Closing the FILE gzcloses the
    /// stream. Returns nil (and the caller keeps the gzFile) when glibc refuses.
    static func makeFILE(_ file: gzFile) -> UnsafeMutablePointer<FILE>? {
        var functions = ssmpath_cookie_io_functions_t()
        functions.read = { cookie, buffer, size in
            guard let cookie, let buffer else { return -1 }
            let stream = cookie.assumingMemoryBound(to: gzFile_s.self)
            // gzread takes an unsigned int count; glibc asks for its buffer size (a few KB).
            let count = UInt32(clamping: size)
            let got = gzread(stream, buffer, count)
            return got < 0 ? -1 : Int(got)
        }
        functions.write = nil
        functions.seek = nil
        functions.close = { cookie in
            guard let cookie else { return 0 }
            return gzclose(cookie.assumingMemoryBound(to: gzFile_s.self)) == Z_OK ? 0 : -1
        }
        return ssmpath_fopencookie(UnsafeMutableRawPointer(file), "rb", functions)
    }
}

/// A zlib error: its code (`Z_DATA_ERROR`, `Z_BUF_ERROR` for a cut stream, ...) and message.
struct GzipFailure: Error {
    var code: Int32
    var text: String

    /// The machine reason for a CaptureError.
    var problem: CaptureError.GzipProblem {
        code == Z_BUF_ERROR ? .truncatedStream : .corruptStream
    }
}
