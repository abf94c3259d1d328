import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// CPU accounting, a feature of the shared `bpf/scheduler.bpf.c` (``SchedulerObject``): per-CPU
/// busy/idle and per-process on-CPU time from sched_switch. Its per-process map is shared with
/// ``ProcessLifecycleProgram``, whose exit program removes processes that exited. Without it (or when a read fails) /proc/stat gives the figures
/// (``ProcStatReading``).
final class CPUMetricsProgram: SchedulerFeatureReader {
    typealias Procfs = ProcStatReading
    /// The area's name in `status` and `overhead` (it had its own object, `bpf/cpu_metrics.bpf.c`, before the scheduler object).
    static let name = "cpu_metrics"
    static let feature = SchedulerFeature.cpu
    static let isEssential = true
    static let metricSwitch = MetricSwitch.cpu
    static let countingArea: ProcessCountingArea? = .cpu

    let scheduler: SchedulerObject
    let ownPrograms = BPFLinkSet(programs: [])
    private let accounting: BPFMap
    /// The accounting at the end of the latest window (or at ``attach()``).
    private(set) var previous: SchedSwitchSnapshot?

    /// Takes the loader's scheduler object (loading it if no area did yet); nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        scheduler = try loader.scheduler.object(loader: loader)
        accounting = scheduler.accounting
    }

    /// Starts accounting (the scheduler object zeroes the shared per-CPU state if cgroup accounting
    /// was not keeping it) and takes the window's baseline.
    func attach() throws(BPFError) {
        guard !isAttached else { return }
        try switchOn()
        previous = try snapshot()
    }

    /// The busy share of each CPU and of all together over the window.
    func collect(into metrics: inout MetricsCollection, processes: ProcessCountersReading?) throws(BPFError) {
        let snapshot: SchedSwitchSnapshot
        if let processes { snapshot = processes.schedSwitch } else { snapshot = try self.snapshot() }
        defer { previous = snapshot }
        guard let previous else {
            metrics.unavailable[Self.metricName] = "first collection: no interval yet"
            return
        }
        let usage = snapshot.busyPercent(since: previous)
        metrics.cpuUsage = usage.overall
        metrics.cpuPerCore = usage.perCPU
        if usage.overall == nil { metrics.unavailable[Self.metricName] = "no context switch seen in the window yet" }
    }

    /// The accounting now, in-flight intervals included.
    func snapshot() throws(BPFError) -> SchedSwitchSnapshot {
        let slots = try accounting.perCPUValues(at: UInt32(0), as: CPUSwitchAccounting.self)
        return SchedSwitchSnapshot(slots: slots, processNanoseconds: [:], now: Clock.monotonicNanoseconds())
    }
}
