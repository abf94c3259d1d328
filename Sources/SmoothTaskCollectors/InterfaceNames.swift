#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Network interface names by index, asked of the kernel (`SIOCGIFNAME`) on one socket kept open for
/// the daemon's life: `if_indextoname` opens and closes a socket per call, and every collection names
/// each interface twice (its figures and the exposition's counters); creating and releasing those
/// sockets was about 2% of an idle collection's CPU (perf, release daemon).
enum InterfaceNames {
    /// The socket the requests go through (any family answers them), in this process's network
    /// namespace as `if_indextoname`'s would be; -1 if it could not be made.
    private static let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)

    /// The name of interface `index` now, or `nil` if there is none.
    static func name(of index: UInt32) -> String? {
        guard descriptor >= 0 else {
            var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
            guard if_indextoname(index, &buffer) != nil else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        var request = ifreq()
        request.ifr_ifru.ifru_ivalue = Int32(bitPattern: index)
        guard ioctl(descriptor, UInt(SIOCGIFNAME), &request) == 0 else { return nil }
        return withUnsafeBytes(of: request.ifr_ifrn.ifrn_name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
