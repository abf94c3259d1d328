import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `--user NAME|UID`: a name must exist on this machine (the daemon's: it serves a local socket),
/// so a typo is said as such instead of matching nothing.
enum UserArgument {
    /// Refuses a name with no passwd entry; any number is taken as a uid, with or without an entry.
    static func check(_ user: String) throws {
        guard UInt32(user) == nil else { return }
        guard getpwnam(user) == nil else { return }
        throw ValidationError("--user: no user '\(user)' on this system (give a user name or a numeric uid)")
    }
}
