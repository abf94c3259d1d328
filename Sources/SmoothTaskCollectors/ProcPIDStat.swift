#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What procfs says about one process: the fields of /proc/PID/stat that SmoothTask shows, and the
/// owner of /proc/PID.
public struct ProcPIDStat: Sendable, Equatable {
    /// Command name (field 2, without the parentheses).
    public var comm: String
    /// Minor faults since start (field 10), minflt.
    public var minorFaults: UInt64
    /// Major faults since start (field 12), majflt.
    public var majorFaults: UInt64
    /// User-mode CPU time (field 14), in USER_HZ ticks.
    public var userTicks: UInt64
    /// Kernel-mode CPU time (field 15), in USER_HZ ticks.
    public var systemTicks: UInt64
    /// Resident set size (field 24), in pages.
    public var rssPages: UInt64
    /// When it started (field 22), in USER_HZ ticks since boot (CLOCK_BOOTTIME).
    public var startTicks: UInt64

    /// Parses the text of /proc/PID/stat; `nil` if it is cut short. The comm may hold spaces and
    /// parentheses, so fields are counted from the last `)`.
    public init?(parsing text: String) {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        // After the comm: field 3 (state) is index 0.
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> UInt64? { number - 3 < fields.count ? UInt64(fields[number - 3]) : nil }
        guard let minflt = field(10), let majflt = field(12), let utime = field(14), let stime = field(15),
            let start = field(22), let rss = field(24)
        else { return nil }
        comm = String(text[text.index(after: open)..<close])
        minorFaults = minflt
        majorFaults = majflt
        userTicks = utime
        systemTicks = stime
        rssPages = rss
        startTicks = start
    }

    /// Reads /proc/`pid`/stat now; `nil` if the process is gone.
    public static func read(pid: Int32) -> ProcPIDStat? {
        guard case .success(let text) = ProcFile.contents(of: "/proc/\(pid)/stat") else { return nil }
        return ProcPIDStat(parsing: text)
    }

    /// True when `pid` names no running process: gone, or a zombie waiting for its parent (whose
    /// threads have all exited).
    static func hasExited(pid: Int32) -> Bool {
        // Reaped: the common case, one cheap syscall. Otherwise /proc tells a zombie from a process.
        if kill(pid, 0) != 0, errno == ESRCH { return true }
        guard case .success(let text) = ProcFile.contents(of: "/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else {
            return true
        }
        let state = text[text.index(after: close)...].dropFirst().first
        return state == "Z" || state == "X"
    }

    /// The uid owning /proc/`pid`, the process's effective uid; `nil` if it is gone.
    static func owner(pid: Int32) -> UInt32? {
        var info = stat()
        guard stat("/proc/\(pid)", &info) == 0 else { return nil }
        return info.st_uid
    }

    /// The command line of `pid` (/proc/PID/cmdline, arguments joined by spaces), at most
    /// `limit` bytes; `nil` if it is gone or a kernel thread (which has none).
    static func commandLine(pid: Int32, limit: Int = 4096) -> String? {
        guard case .success(let text) = ProcFile.contents(of: "/proc/\(pid)/cmdline") else { return nil }
        let words = text.utf8.prefix(limit).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// USER_HZ: the unit of /proc/PID/stat's times.
    static let ticksPerSecond = UInt64(sysconf(Int32(_SC_CLK_TCK)))

    /// Bytes per page, for ``rssPages``.
    static let pageBytes = UInt64(sysconf(Int32(_SC_PAGESIZE)))
}
