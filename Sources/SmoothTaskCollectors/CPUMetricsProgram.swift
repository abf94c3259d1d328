import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/cpu_metrics.bpf.c`: per-CPU busy/idle and per-process on-CPU time from sched_switch.
/// Its per-process map is shared with ``ProcessLifecycleProgram``, whose exit program removes
/// processes that exited. Without it (or when a read fails) /proc/stat gives the figures
/// (``ProcStatReading``).
final class CPUMetricsProgram: MetricAreaReader {
    typealias Procfs = ProcStatReading
    /// The object's name, as in `bpf/`.
    static let name = "cpu_metrics"
    static let isEssential = true
    static let metricSwitch = MetricSwitch.cpu
    static let countingArea: ProcessCountingArea? = .cpu

    /// Its BPF programs, attached and detached together.
    let programs: BPFLinkSet
    private let accounting: BPFMap
    /// The accounting at the end of the latest window (or at ``attach()``).
    private(set) var previous: SchedSwitchSnapshot?

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        let object = try loader.open(Self.name, elfBytes: EmbeddedBPFObject.cpuMetrics.elfBytes)
        try object.load()
        programs = BPFLinkSet(programs: [try object.program(named: "account_switch")])
        accounting = try object.map(named: "cpu_accounting")
    }

    /// Starts accounting. The per-CPU slots are zeroed first: left from an earlier attachment, their
    /// last switch times would charge the whole detached period to the first switch.
    func attach() throws(BPFError) {
        guard !programs.isAttached else { return }
        let cpus = try BPFMap.possibleCPUCount()
        try accounting.setPerCPUValues([CPUSwitchAccounting](repeating: CPUSwitchAccounting(), count: cpus), at: UInt32(0))
        try programs.attach()
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
