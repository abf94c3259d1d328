#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the full-screen `top` reads from /proc itself for a live process: its parent (tree view),
/// its cgroup (cgroup filter) and its threads' names and CPU ticks (thread view). `processes.top` carries neither for live rows, and the client
/// runs on the daemon's host, where /proc is the same.
enum ProcessLineage {
    /// Largest /proc/PID/stat or /proc/PID/cgroup read: both are a line of well under 1 KiB, but a
    /// command name or cgroup path can be long.
    static let maximumFileBytes = 8192

    /// The parent pid: the 4th field of /proc/PID/stat, after the command name in parentheses
    /// (which may hold spaces and parentheses itself, so the last `)` ends it).
    static func parent(of pid: Int32) -> Int32? {
        guard let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// The command name (between the parentheses) and utime + stime in ticks (fields 14 and 15) of a
    /// /proc/PID/stat or /proc/PID/task/TID/stat file.
    static func stat(of path: String) -> (name: String, ticks: UInt64)? {
        guard let stat = read(path), let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"), open < close else {
            return nil
        }
        // After ")": state is field 3, so utime (14) and stime (15) are the 12th and 13th.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return (String(stat[stat.index(after: open)..<close]), user + system)
    }

    /// The cgroup v2 path (`/system.slice/ssh.service`): the `0::` line of /proc/PID/cgroup.
    static func cgroup(of pid: Int32) -> String? {
        guard let text = read("/proc/\(pid)/cgroup") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("0::") {
            return String(line.dropFirst(3))
        }
        return nil
    }

    private static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = Glibc.close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: maximumFileBytes)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
