import Foundation

/// What `short_lived storm|exec` reported: the children it made (all exited and reaped) and what
/// they are known to have cost. See Tests/Tools/short_lived.c.
struct ShortLivedStorm: Decodable {
    /// "storm" (forked children that set their name) or "exec" (children that exec'd the tool).
    let mode: String
    /// Every child's pid, in the order they were started.
    let children: [Int32]
    /// The name every child had when it exited: "stshort" (storm) or "short_lived" (exec).
    let comm: String
    /// Exact syscalls each storm child made, from its return from fork through exit_group; nil in
    /// exec mode, where the dynamic loader's calls are not known exactly.
    let syscallsPerChild: Int?
    /// `children.count * syscallsPerChild`; nil in exec mode.
    let knownSyscalls: Int?
    /// getppid calls over all children: exact in both modes, a lower bound of the syscalls in exec mode.
    let knownGetppid: Int
    /// getrusage(RUSAGE_CHILDREN) utime+stime of the parent after it reaped every child, in ns.
    let childrenCpuNs: Int
    /// Unix time in ms just before the first fork and just after the last child was reaped.
    let startMs: Int64
    let endMs: Int64
    /// Children alive at once, at most.
    let parallel: Int

    /// Runs `short_lived storm|exec children syscalls [parallel]` to completion; `wrapper` goes in
    /// front (e.g. strace).
    static func run(
        children: Int, syscalls: Int, exec: Bool = false, parallel: Int? = nil, wrapper: [String] = []
    ) throws -> ShortLivedStorm {
        let arguments = [exec ? "exec" : "storm", "\(children)", "\(syscalls)"] + (parallel.map { ["\($0)"] } ?? [])
        return try LoadTool.run("short_lived", arguments, wrapper: wrapper, as: ShortLivedStorm.self)
    }
}
