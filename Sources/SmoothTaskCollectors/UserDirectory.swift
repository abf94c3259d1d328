#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// User names and uids from the system's user database (getpwuid_r / getpwnam_r).
public enum UserDirectory {
    /// Room for one passwd entry's strings; entries longer than this are treated as unknown.
    private static let bufferBytes = 16 * 1024

    /// The name of `uid`, or `nil` if it has none.
    public static func name(of uid: UInt32) -> String? {
        withEntry { entry, buffer, result in getpwuid_r(uid, &entry, buffer, bufferBytes, &result) }
            .map(\.name)
    }

    /// The uid `user` names: a user name, or a uid in decimal; `nil` if neither.
    public static func uid(of user: String) -> UInt32? {
        if let uid = withEntry({ entry, buffer, result in getpwnam_r(user, &entry, buffer, bufferBytes, &result) })?.uid {
            return uid
        }
        return UInt32(user)
    }

    private static func withEntry(
        _ lookup: (inout passwd, UnsafeMutablePointer<CChar>, inout UnsafeMutablePointer<passwd>?) -> Int32
    ) -> (uid: UInt32, name: String)? {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferBytes)
        defer { buffer.deallocate() }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        guard lookup(&entry, buffer, &result) == 0, result != nil else { return nil }
        // pw_name points into buffer: copy it before the buffer is freed.
        return (entry.pw_uid, String(cString: entry.pw_name))
    }
}
