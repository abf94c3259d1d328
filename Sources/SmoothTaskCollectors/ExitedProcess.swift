import CSmoothTaskBPFTypes

/// A process whose last thread exited, with the totals the kernel held for it at that moment.
struct ExitedProcess: Sendable, Equatable {
    /// Its tgid.
    var pid: UInt32
    /// Its parent's tgid at exit.
    var ppid: UInt32
    /// Its effective uid, the owner /proc showed.
    var uid: UInt32
    /// Its command name at exit (after any exec).
    var comm: String
    /// The start of its command line (argv joined by spaces) if it exec'd while the daemon watched.
    var command: String?
    /// Its cgroup v2 id.
    var cgroupID: UInt64
    /// CLOCK_BOOTTIME nanoseconds of its start and of its exit.
    var startBoottimeNanoseconds: UInt64
    var exitBoottimeNanoseconds: UInt64
    /// The wait status: exit status << 8, or the terminating signal (| 0x80 with a core dump).
    var waitStatus: UInt32
    /// Its counts when it exited (since it started, or since accounting began if it is older).
    var totals: ProcessCounters

    /// Decodes a record as the ring buffer delivered it.
    init(_ record: ProcessExitRecord) {
        pid = record.pid
        ppid = record.ppid
        uid = record.uid
        comm = Self.string(fromCString: record.comm, count: 16)
        let commandLength = min(Int(record.command_length), Int(PROCESS_COMMAND_BYTES))
        command = commandLength == 0 ? nil : withUnsafeBytes(of: record.command) { bytes in
            // argv strings are NUL-separated (a line cut mid-string ends without one): one pass
            // turns the separators into spaces, dropping the last.
            var words = bytes.prefix(commandLength)
            while words.last == 0 { words = words.dropLast() }
            return String(decoding: words.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        }
        cgroupID = record.cgroup_id
        startBoottimeNanoseconds = record.start_ns
        exitBoottimeNanoseconds = record.exit_ns
        waitStatus = record.exit_code
        totals = ProcessCounters(record.totals)
    }

    /// The exit status (0...255) when it exited by itself, `nil` when a signal ended it.
    var exitCode: Int32? { waitStatus & 0x7f == 0 ? Int32((waitStatus >> 8) & 0xff) : nil }
    /// The signal that ended it, `nil` when it exited by itself.
    var exitSignal: Int32? { waitStatus & 0x7f == 0 ? nil : Int32(waitStatus & 0x7f) }

    /// What tells processes apart: pid and start time (a pid can be reused, not with the same start).
    struct Key: Hashable {
        var pid: UInt32
        var startBoottimeNanoseconds: UInt64
    }

    var key: Key { Key(pid: pid, startBoottimeNanoseconds: startBoottimeNanoseconds) }

    /// Same process: same ``key``.
    func isSameProcess(as other: ExitedProcess) -> Bool { key == other.key }

    private static func string<Tuple>(fromCString tuple: Tuple, count: Int) -> String {
        withUnsafeBytes(of: tuple) { bytes in
            String(decoding: bytes.prefix(count).prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
