/// Which counter says how often a program's hook fires when the kernel is not counting its runs.
enum HookEvent: Sendable, Equatable {
    /// Every syscall: the syscalls object's own count, or ``SyscallRateProbe`` while it is shed.
    case syscall
    /// Every context switch (`/proc/stat` `ctxt`); wakeups are taken as one per switch.
    case contextSwitch
    /// Every forked task (`/proc/stat` `processes`): its first wakeup (`sched_wakeup_new`), exec
    /// and exit. Not a switch: a switch storm without forks does not fire these.
    case processLifecycle
    /// Every page fault (`/proc/vmstat` `pgfault`).
    case pageFault
    /// Nothing counts it (block I/O, network, reclaim, OOM): its rate is known only while
    /// `kernel.bpf_stats_enabled=1`.
    case uncounted

    /// The tracepoint a section names: `tp_btf/sched_switch` → `sched_switch`.
    static func tracepoint(of hook: String) -> Substring {
        hook.split(separator: "/").last ?? Substring(hook)
    }

    /// The event of the hook a section names.
    init(hook: String) {
        switch Self.tracepoint(of: hook) {
        case "sys_enter", "sys_exit": self = .syscall
        case "sched_switch", "sched_wakeup": self = .contextSwitch
        case "sched_wakeup_new", "sched_process_exec", "sched_process_exit", "sched_process_fork": self = .processLifecycle
        case "page_fault_user": self = .pageFault
        default: self = .uncounted
        }
    }

    /// Events per second on the hook between two readings of the kernel's counters; `nil` when
    /// nothing counts it or a reading lacks its counter.
    /// - Parameter syscallsPerSecond: the syscalls object's own count, or its rate probe's.
    func rate(_ counters: KernelEventCounters, since previous: KernelEventCounters?, syscallsPerSecond: Double?) -> Double? {
        switch self {
        case .syscall: syscallsPerSecond
        case .contextSwitch: previous.flatMap { counters.rate(\.contextSwitches, since: $0) }
        case .processLifecycle: previous.flatMap { counters.rate(\.forks, since: $0) }
        case .pageFault: previous.flatMap { counters.rate(\.pageFaults, since: $0) }
        case .uncounted: nil
        }
    }

    /// What counts it, for ``SmoothTaskModel/ProgramCostEstimate/rateSource``.
    var counterName: String {
        switch self {
        case .syscall: "syscalls counted by the syscalls object (or its rate probe while shed)"
        case .contextSwitch: "/proc/stat ctxt (context switches; wakeups taken as one per switch)"
        case .processLifecycle: "/proc/stat processes (forks, threads included)"
        case .pageFault: "/proc/vmstat pgfault"
        case .uncounted: "none: counted only while kernel.bpf_stats_enabled=1"
        }
    }
}
