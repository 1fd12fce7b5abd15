// Whether the interface being captured on is still there and up (SIOCGIFFLAGS).

#if canImport(Glibc)
import Glibc
#endif

/// The administrative state of a network interface, as `ioctl(SIOCGIFFLAGS)` reports it.
///
/// libpcap 1.10 reports an interface that is *deleted* during a capture ("The interface
/// disappeared"), but when one is only *set down* it keeps waiting silently for it to come back:
/// a live capture would then run until Ctrl-C with nothing to show. `LiveCapture` asks this when
/// its reads go idle and ends the capture with a message instead.
enum InterfaceState: Equatable {
    /// Exists with `IFF_UP` set.
    case up
    /// Exists, `IFF_UP` clear (`ip link set IF down`).
    case down
    /// No such interface any more (`ENODEV`: deleted, or its namespace went away).
    case gone
    /// Could not tell: a name longer than `IFNAMSIZ - 1`, or another ioctl error.
    case unknown

    /// Asks the kernel with `SIOCGIFFLAGS` on `descriptor` (any open socket of the interface's
    /// network namespace: the capture's own packet socket will do). Returns `.unknown` for a
    /// negative descriptor or a name that does not fit `ifr_name`.
    static func of(interface name: String, socket descriptor: Int32) -> InterfaceState {
        guard descriptor >= 0 else { return .unknown }
        var request = ifreq()
        // ifr_name: char[IFNAMSIZ], NUL-terminated (the zeroed struct provides the NUL).
        let fits = withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { field -> Bool in
            let bytes = name.utf8
            guard !bytes.isEmpty, bytes.count < field.count else { return false }
            field.copyBytes(from: bytes)
            return true
        }
        guard fits else { return .unknown }
        guard ioctl(descriptor, UInt(SIOCGIFFLAGS), &request) == 0 else {
            return errno == ENODEV ? .gone : .unknown
        }
        // ifr_flags: a short holding IFF_* bits (netdevice(7)).
        return Int32(request.ifr_ifru.ifru_flags) & Int32(IFF_UP) != 0 ? .up : .down
    }
}
