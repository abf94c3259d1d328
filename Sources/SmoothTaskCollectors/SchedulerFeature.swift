import CSmoothTaskBPFTypes

/// One feature of the one sched_switch program of `bpf/scheduler.bpf.c`: a bit of its
/// `scheduler_features` global (bpf/scheduler.h), set while the feature's area is attached.
enum SchedulerFeature: CaseIterable, Sendable {
    /// Per-CPU busy/idle and per-process on-CPU time (``CPUMetricsProgram``).
    case cpu
    /// On-CPU time per cgroup (``CgroupCPUProgram``).
    case cgroups
    /// The end of each run-queue wait (``SchedLatencyProgram``).
    case runQueue

    /// Its bit in `scheduler_features`.
    var bit: UInt32 {
        switch self {
        case .cpu: UInt32(SCHEDULER_FEATURE_CPU)
        case .cgroups: UInt32(SCHEDULER_FEATURE_CGROUPS)
        case .runQueue: UInt32(SCHEDULER_FEATURE_RUN_QUEUE)
        }
    }

    /// Its share of the shared program's run time when several features are on: the kernel counts
    /// the one program, not its parts. Relative figures measured on the reference machine with this
    /// feature alone on (bpf_stats, `stress-ng --switch`, BENCHMARKS.md), each including the one
    /// dispatch and clock read every feature would pay alone; the overhead budget then charges each
    /// feature the part of the program's cost in proportion, so shedding one saves at most its share.
    var shareWeight: Double {
        switch self {
        case .cpu: 1.0
        case .cgroups: 1.0
        case .runQueue: 1.0
        }
    }
}
