// Looks at a file before libpcap does: missing, directory, empty, unreadable, gzip, magic, header length.

#if canImport(Glibc)
import Glibc
#endif

/// What the first bytes of a file say it is.
struct CaptureProbe {
    var format: CaptureFormat

    /// Bytes read to classify a file: a pcap file header is 24 bytes, the smallest pcapng section
    /// header block 28.
    static let headerBytes = 28

    // MARK: - Magic numbers (first four bytes, in file order)

    static let pcapMicroBigEndian: UInt32 = 0xa1b2_c3d4
    static let pcapMicroLittleEndian: UInt32 = 0xd4c3_b2a1
    static let pcapNanoBigEndian: UInt32 = 0xa1b2_3c4d
    static let pcapNanoLittleEndian: UInt32 = 0x4d3c_b2a1
    /// Alexey Kuznetsov's modified pcap, which libpcap also reads.
    static let pcapModifiedBigEndian: UInt32 = 0xa1b2_cd34
    static let pcapModifiedLittleEndian: UInt32 = 0x34cd_b2a1
    /// pcapng Section Header Block type (palindromic, same in both byte orders).
    static let pcapngSectionHeader: UInt32 = 0x0a0d_0d0a
    /// gzip member header ID1 ID2 (RFC 1952 section 2.3.1).
    static let gzipMagic: (UInt8, UInt8) = (0x1f, 0x8b)

    /// Checks the path and the first bytes. Throws the typed reason a file is not a readable capture;
    /// otherwise returns its format. Reads at most `headerBytes` (decompressed) bytes.
    static func inspect(path: String) throws(CaptureError) -> CaptureProbe {
        var info = stat()
        if stat(path, &info) != 0 {
            throw openError(path: path, errno: errno)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unsupported(path: path, reason: .notRegularFile, detail: "not a regular file")
        }
        if info.st_size == 0 { throw .emptyFile(path: path) }

        var head = HeaderBytes()
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw openError(path: path, errno: errno) }
        let rawCount = head.withBytes { buffer in readFully(descriptor, buffer) }
        close(descriptor)
        guard rawCount >= 0 else { throw .readFailed(path: path, errno: errno) }
        if rawCount == 0 { throw .emptyFile(path: path) }

        if rawCount == 1 && head.byte(0) == gzipMagic.0 {
            throw .gzipError(path: path, reason: .truncatedStream, detail: "1-byte file: gzip magic cut short")
        }
        let compressed = rawCount >= 2 && head.byte(0) == gzipMagic.0 && head.byte(1) == gzipMagic.1
        var count = rawCount
        if compressed {
            guard let stream = GzipStream.open(path: path) else {
                throw .gzipError(path: path, reason: .openFailed, detail: String(cString: strerror(errno)))
            }
            defer { GzipStream.close(stream) }
            head = HeaderBytes()
            switch head.withBytes({ GzipStream.read(stream, into: $0) }) {
            case .success(let n): count = n
            case .failure(let failure):
                throw .gzipError(path: path, reason: failure.problem, detail: failure.text)
            }
            if count == 0 { throw .emptyFile(path: path) }
        }
        return try classify(head, count: count, compressed: compressed, path: path)
    }

    /// Classifies the (decompressed) first bytes by magic and checks the header is complete.
    private static func classify(_ head: HeaderBytes, count: Int, compressed: Bool,
                                 path: String) throws(CaptureError) -> CaptureProbe {
        let magic = head.bigEndianUInt32(count: count)
        let container: CaptureFormat.Container
        let required: Int
        switch magic {
        case pcapMicroBigEndian, pcapMicroLittleEndian, pcapModifiedBigEndian, pcapModifiedLittleEndian:
            container = .pcap; required = 24
        case pcapNanoBigEndian, pcapNanoLittleEndian:
            container = .pcapNanoseconds; required = 24
        case pcapngSectionHeader:
            container = .pcapng; required = 28
        default:
            if count < 4 && isPrefixOfMagic(magic, count: count) {
                throw .corruptHeader(path: path, reason: .shortHeader, detail: "\(count) of 24 header bytes")
            }
            throw .notACapture(path: path, leadingBytes: magic, compressed: compressed)
        }
        guard count >= required else {
            throw .corruptHeader(path: path, reason: .shortHeader,
                                 detail: "\(count) of \(required) header bytes")
        }
        return CaptureProbe(format: CaptureFormat(container: container, compressed: compressed))
    }

    static let allMagics: [UInt32] = [
        pcapMicroBigEndian, pcapMicroLittleEndian, pcapNanoBigEndian, pcapNanoLittleEndian,
        pcapModifiedBigEndian, pcapModifiedLittleEndian, pcapngSectionHeader,
    ]

    /// True when the first `count` (< 4) bytes, zero-padded in `magic`, begin a capture magic:
    /// a file cut inside its magic number is a short header, not a foreign file.
    private static func isPrefixOfMagic(_ magic: UInt32, count: Int) -> Bool {
        guard count > 0, count < 4 else { return false }
        let mask = UInt32.max << (8 &* UInt32(4 &- count))
        return allMagics.contains { $0 & mask == magic & mask }
    }

    /// The typed error for a failed stat/open.
    static func openError(path: String, errno code: Int32) -> CaptureError {
        switch code {
        case ENOENT, ENOTDIR: return .fileNotFound(path: path)
        case EACCES, EPERM: return .permissionDenied(path: path)
        case EISDIR: return .isDirectory(path: path)
        default: return .readFailed(path: path, errno: code)
        }
    }

    /// Reads until the buffer is full or end of file; -1 on error.
    private static func readFully(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var total = 0
        while total < buffer.count {
            let got = read(descriptor, base.advanced(by: total), buffer.count &- total)
            if got < 0 { if errno == EINTR { continue }; return -1 }
            if got == 0 { break }
            total &+= got
        }
        return total
    }
}

/// The first `CaptureProbe.headerBytes` bytes of a file, inline.
struct HeaderBytes {
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func withBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        withUnsafeMutableBytes(of: &storage) { all in
            body(UnsafeMutableRawBufferPointer(rebasing: all[0..<CaptureProbe.headerBytes]))
        }
    }

    func byte(_ index: Int) -> UInt8 {
        withUnsafeBytes(of: storage) { $0[index] }  // callers pass 0 or 1 (< 32)
    }

    /// The first four bytes as a big-endian number (file order); zero-padded when fewer were read.
    func bigEndianUInt32(count: Int) -> UInt32 {
        withUnsafeBytes(of: storage) { bytes in
            var value: UInt32 = 0
            for index in 0..<4 { value = value << 8 | UInt32(index < count ? bytes[index] : 0) }
            return value
        }
    }
}
