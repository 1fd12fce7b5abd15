// Typed errors for opening captures: a machine reason per case, and one line for people.

/// Why a capture could not be opened (or an interface could not be captured on).
///
/// Each case carries the path (or interface name) and a machine-readable reason; `message` renders
/// one line naming the file and the problem, with a hint. Assert on cases, print `message`.
public enum CaptureError: Error, Sendable, Hashable {
    /// Nothing exists at the path.
    case fileNotFound(path: String)
    /// The path names a directory.
    case isDirectory(path: String)
    /// The file exists but cannot be read by this user.
    case permissionDenied(path: String)
    /// The file has zero bytes.
    case emptyFile(path: String)
    /// The first four bytes (after gunzip when `compressed`) are no pcap or pcapng magic.
    case notACapture(path: String, leadingBytes: UInt32, compressed: Bool)
    /// The file starts like a capture but its file header is short or malformed.
    case corruptHeader(path: String, reason: HeaderProblem, detail: String)
    /// The gzip stream cannot be decompressed.
    case gzipError(path: String, reason: GzipProblem, detail: String)
    /// A capture libpcap cannot read (version, link types, ...).
    case unsupported(path: String, reason: UnsupportedReason, detail: String)
    /// Any other error reading the file (I/O error).
    case readFailed(path: String, errno: Int32)
    /// `pcap_activate` (or `pcap_create`) failed for the interface.
    case liveOpenFailed(interface: String, reason: LiveOpenProblem, detail: String)
    /// The interface does not exist.
    case noSuchInterface(interface: String)
    /// The BPF filter did not compile or could not be installed; `detail` is libpcap's message.
    case filterError(interface: String, filter: String, detail: String)
    /// The output capture could not be written.
    case writeFailed(path: String, reason: WriteProblem, detail: String)

    /// What is wrong with a file header.
    public enum HeaderProblem: String, Sendable, Hashable {
        /// The file ends inside the file header (pcap: 24 bytes; pcapng: the first block).
        case shortHeader
        /// libpcap rejected the header (bad lengths, bad byte-order magic, ...).
        case malformed
    }

    /// What went wrong in the gzip layer.
    public enum GzipProblem: String, Sendable, Hashable {
        /// zlib could not open the file.
        case openFailed
        /// The data after the gzip magic is not a valid deflate stream.
        case corruptStream
        /// The gzip stream ends early.
        case truncatedStream
    }

    /// Why libpcap cannot read a capture.
    public enum UnsupportedReason: String, Sendable, Hashable {
        /// pcap version other than 2.x, or a pcapng major version other than 1.
        case version
        /// Interfaces of different link types in one pcapng section (libpcap 1.10 reads one link type).
        case mixedLinkTypes
        /// A FIFO, socket or device: the file is read twice (a look at its header, then libpcap), so
        /// it must be a regular file.
        case notRegularFile
        /// Something else libpcap refused; see the detail.
        case other
    }

    /// Why a live capture could not start.
    public enum LiveOpenProblem: String, Sendable, Hashable {
        /// Not root and no `cap_net_raw,cap_net_admin` capabilities.
        case permissionDenied
        /// Promiscuous mode needs more privileges than capture.
        case promiscuousPermissionDenied
        /// The interface is down.
        case interfaceNotUp
        /// Any other libpcap error; see the detail.
        case other
    }

    /// Why writing a capture failed.
    public enum WriteProblem: String, Sendable, Hashable {
        case openFailed
        case ioError
        /// The writer holds one link type; a packet of another type was given.
        case linkTypeMismatch
    }
}

// MARK: - Accessors

extension CaptureError {
    /// The file path or interface name the error is about.
    public var path: String {
        switch self {
        case .fileNotFound(let path), .isDirectory(let path), .permissionDenied(let path), .emptyFile(let path),
             .notACapture(let path, _, _), .corruptHeader(let path, _, _), .gzipError(let path, _, _),
             .unsupported(let path, _, _), .readFailed(let path, _), .writeFailed(let path, _, _):
            return path
        case .liveOpenFailed(let interface, _, _), .noSuchInterface(let interface), .filterError(let interface, _, _):
            return interface
        }
    }

    /// One line for people: the file, the problem, and a hint.
    public var message: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; hint: check the path and the current directory"
        case .isDirectory(let path):
            return "\(path): is a directory, not a capture file; hint: pass the files inside it (for example \(path)/*.pcap*)"
        case .permissionDenied(let path):
            return "\(path): permission denied; hint: make the file readable (chmod a+r) or run as its owner"
        case .emptyFile(let path):
            return "\(path): empty file (0 bytes); hint: the capture was probably never written or was cut before its header"
        case .notACapture(let path, let leading, let compressed):
            let what = compressed ? "after gunzip it is not a pcap or pcapng file" : "not a pcap or pcapng file"
            return "\(path): \(what) (starts with \(hex32(leading))); hint: save captures from tcpdump -w, dumpcap or Wireshark as pcap or pcapng"
        case .corruptHeader(let path, let reason, let detail):
            let what = reason == .shortHeader ? "file header is cut short" : "file header is corrupt"
            return "\(path): \(what)\(suffix(detail)); hint: the file was damaged in transfer; fetch it again"
        case .gzipError(let path, let reason, let detail):
            let what: String
            switch reason {
            case .openFailed: what = "cannot open the gzip stream"
            case .corruptStream: what = "gzip data is corrupt"
            case .truncatedStream: what = "gzip stream ends early"
            }
            return "\(path): \(what)\(suffix(detail)); hint: check it with gzip -t, or fetch the file again"
        case .unsupported(let path, let reason, let detail):
            let hint: String
            switch reason {
            case .version: hint = "convert it with editcap -F pcap"
            case .mixedLinkTypes: hint = "split it per interface with tshark -r FILE -Y 'frame.interface_id == N' -w OUT, or editcap -F pcap per interface"
            case .notRegularFile: hint = "save the capture to a regular file first"
            case .other: hint = "convert it with editcap -F pcap"
            }
            return "\(path): unsupported capture\(suffix(detail)); hint: \(hint)"
        case .readFailed(let path, let code):
            return "\(path): read error (errno \(code)); hint: check the disk and the file system"
        case .liveOpenFailed(let interface, let reason, let detail):
            switch reason {
            case .permissionDenied, .promiscuousPermissionDenied:
                return "\(interface): cannot capture, permission denied\(suffix(detail)); hint: run as root, or grant the binary the capabilities: setcap cap_net_raw,cap_net_admin=eip .build/release/ssmpath"
            case .interfaceNotUp:
                return "\(interface): interface is down\(suffix(detail)); hint: ip link set \(interface) up"
            case .other:
                return "\(interface): cannot start the capture\(suffix(detail)); hint: list interfaces with `ssmpath interfaces` or `ip link`"
            }
        case .noSuchInterface(let interface):
            return "\(interface): no such interface; hint: list interfaces with `ssmpath interfaces` or `ip link`"
        case .filterError(let interface, let filter, let detail):
            return "\(interface): capture filter \"\(filter)\" rejected\(suffix(detail)); hint: check the syntax with tcpdump -d '\(filter)'"
        case .writeFailed(let path, let reason, let detail):
            switch reason {
            case .linkTypeMismatch:
                return "\(path): cannot write packets of different link types to one pcap\(suffix(detail)); hint: write one file per capture"
            case .openFailed, .ioError:
                return "\(path): cannot write the capture\(suffix(detail)); hint: check the directory exists, is writable and has space"
            }
        }
    }
}

// MARK: - Formatting helpers

/// `0x3c68746d`: the bytes in file order.
func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

private func suffix(_ detail: String) -> String {
    detail.isEmpty ? "" : " (\(detail))"
}
