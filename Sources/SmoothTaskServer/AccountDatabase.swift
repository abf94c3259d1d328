#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads users and groups through NSS (`getpwuid_r`, `getgrnam_r`), fresh at every call so changes
/// to `/etc/group` apply without restarting the daemon.
enum AccountDatabase {
    /// A group as NSS reports it.
    struct Group: Sendable, Equatable {
        /// The group's id.
        var gid: UInt32
        /// User names listed as supplementary members (not users whose primary group it is).
        var members: [String]
    }

    /// The first buffer size tried for the reentrant lookups; doubled on `ERANGE`.
    private static let initialBufferBytes = 1024
    /// Past this a lookup gives up: no sane group entry is that large.
    private static let maxBufferBytes = 1 << 22

    /// The group called `name`, or `nil` when it does not exist (or cannot be read).
    static func lookupGroup(named name: String) -> Group? {
        withGrowingBuffer { buffer, size in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrnam_r(name, &entry, buffer, size, &result)
            guard status == 0 else { return .failed(status) }
            guard result != nil else { return .found(nil) }
            var members: [String] = []
            if var member = entry.gr_mem {
                while let name = member.pointee {
                    members.append(String(cString: name))
                    member += 1
                }
            }
            return .found(Group(gid: UInt32(entry.gr_gid), members: members))
        }
    }

    /// The login name of `uid`, or `nil` when no user has it.
    static func lookupUserName(uid: UInt32) -> String? {
        withGrowingBuffer { buffer, size in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwuid_r(uid_t(uid), &entry, buffer, size, &result)
            guard status == 0 else { return .failed(status) }
            guard result != nil, let name = entry.pw_name else { return .found(nil) }
            return .found(String(cString: name))
        }
    }

    private enum Lookup<Value> {
        case found(Value?)
        case failed(Int32)
    }

    private static func withGrowingBuffer<Value>(
        _ body: (UnsafeMutablePointer<CChar>, Int) -> Lookup<Value>
    ) -> Value? {
        var size = initialBufferBytes
        while size <= maxBufferBytes {
            let outcome = withUnsafeTemporaryAllocation(of: CChar.self, capacity: size) { buffer in
                body(buffer.baseAddress!, size)
            }
            switch outcome {
            case .found(let value): return value
            case .failed(ERANGE): size *= 2
            case .failed: return nil
            }
        }
        return nil
    }
}
