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

    /// Its weight in splitting the shared program's run time among the features on: the kernel
    /// counts the one program, not its parts. Each feature's cost with it alone on, relative to CPU
    /// accounting's: 127-141 ns per switch for CPU alone, 135-137 cgroups alone, 155-157 run-queue
    /// alone (each including the dispatch and clock read every feature pays alone; 182-194 all three,
    /// 145-155 CPU and cgroups), bpf_stats under `stress-ng --switch 1` on the 2-CPU reference
    /// machine, two rounds. The overhead budget charges each feature its part of the program in
    /// proportion: its fair share of the one dispatch, so shedding one saves somewhat less than its
    /// row says (its marginal cost: ~15 ns for cgroups, ~40 ns for run-queue's switch part).
    var shareWeight: Double {
        switch self {
        case .cpu: 1.0
        case .cgroups: 1.0
        case .runQueue: 1.15
        }
    }
}
