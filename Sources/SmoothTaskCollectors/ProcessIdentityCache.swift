import Synchronization

/// Each live process's name, owner and start time, read from /proc once and kept until it execs
/// (the process table counts execs) or exits: recording every window of 10,000 active processes
/// would otherwise read /proc 20,000 times a tick (about 400 ms of CPU here).
final class ProcessIdentityCache: Sendable {
    /// What /proc says about a process, and at which exec count it was read.
    struct Identity: Sendable {
        var execs: UInt32
        var comm: String?
        var uid: UInt32?
        var startTimeMilliseconds: Int64?
    }

    private let identities = Mutex<[UInt32: Identity]>([:])

    /// The identity of `tgid` as of `execs` execs: cached, or read from /proc now.
    func identity(of tgid: UInt32, execs: UInt32) -> Identity {
        if let known = identities.withLock({ $0[tgid] }), known.execs == execs { return known }
        let pid = Int32(bitPattern: tgid)
        let stat = ProcPIDStat.read(pid: pid)
        let tickNanoseconds = 1_000_000_000 / ProcPIDStat.ticksPerSecond
        let identity = Identity(
            execs: execs, comm: stat?.comm, uid: ProcPIDStat.owner(pid: pid),
            startTimeMilliseconds: stat.map { Clock.epochMilliseconds(ofBoottime: $0.startTicks * tickNanoseconds) }
        )
        // A process gone before it was read is not kept: its pid may come back as another.
        if stat != nil { identities.withLock { $0[tgid] = identity } }
        return identity
    }

    /// Forgets every process not in `live` (exited, so their pids may be reused).
    func keep(only live: [UInt32: ProcessCounters]) {
        identities.withLock { cached in
            let gone = cached.keys.filter { live[$0] == nil }
            for tgid in gone { cached[tgid] = nil }
        }
    }
}
