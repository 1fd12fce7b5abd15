#if canImport(Glibc)
import Glibc
#endif

/// A capture set keeps every file open while it merges them in time order, so a directory of
/// rotated captures needs one descriptor per file. Raise the soft limit to the hard limit once.
enum OpenFileLimit {
    /// Descriptors ssmpath keeps for itself (stdio, the report, libpcap internals).
    static let reserve = 32

    /// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns how many files may be open at
    /// once for capture files.
    @discardableResult
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 - reserve }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let available = limit.rlim_cur > UInt64(Int.max) ? Int.max : Int(limit.rlim_cur)
        return max(1, available - reserve)
    }
}
