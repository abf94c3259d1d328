import Logging
import SmoothTaskBPF
import SmoothTaskHostChecks
import SmoothTaskModel

/// Run-queue latency histograms, system-wide and per process: a feature of the shared
/// `bpf/scheduler.bpf.c` (``SchedulerObject``), whose sched_switch program ends each wait, and its
/// two wakeup programs, which mark threads runnable and run only while the area is on.
final class SchedLatencyProgram: SchedulerFeatureReader, FieldAreaReader {
    /// The area's name in `status` and `overhead` (it had its own object, `bpf/sched_latency.bpf.c`, before the scheduler object).
    static let name = "sched_latency"
    static let metricSwitch = MetricSwitch.schedLatency
    static let feature = SchedulerFeature.runQueue
    static let countingArea: ProcessCountingArea? = .runQueue
    static var output: WritableKeyPath<EbpfMetrics, SchedLatencyMetrics?> { \.schedLatency }
    /// sched_switch gained its `prev_state` argument, which tells a preempted thread from a sleeping one, in 5.18.
    static let minimumKernel = SchedulerObject.runQueueMinimumKernel

    let scheduler: SchedulerObject
    /// sched_wakeup and sched_wakeup_new, which mark threads runnable.
    let ownPrograms: BPFLinkSet
    private let attachedAt: BPFMap
    private let systemWaits: BPFMap
    private let windowMax: BPFMap
    private let processWaits: BPFMap
    private(set) var previousSystem = Log2HistogramSlots()
    private var processWindow = ProcessWindow<Log2HistogramSlots>()

    /// Takes the loader's scheduler object (loading it if no area did yet); nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        let release = KernelRelease.current
        guard release.isAtLeast(major: Self.minimumKernel.major, minor: Self.minimumKernel.minor) else {
            throw .kernelTooOld(release: release.text, minimum: "\(Self.minimumKernel.major).\(Self.minimumKernel.minor)")
        }
        scheduler = try loader.scheduler.object(loader: loader)
        ownPrograms = BPFLinkSet(programs: scheduler.wakeupPrograms)
        attachedAt = try scheduler.object.map(named: "attached_at_ns")
        systemWaits = try scheduler.object.map(named: "system_waits")
        windowMax = try scheduler.object.map(named: "window_max_ns")
        processWaits = try scheduler.object.map(named: "process_waits")
    }

    /// Attaches after telling the programs when: threads left marked runnable by an earlier
    /// attachment (their task storage outlives a detach) hold stale wakeups, which would read as
    /// waits as long as the detached period, and are ignored for being older.
    func attach() throws(BPFError) {
        guard !isAttached else { return }
        let cpus = try BPFMap.possibleCPUCount()
        try attachedAt.setPerCPUValues([UInt64](repeating: Clock.monotonicNanoseconds(), count: cpus), at: UInt32(0))
        try switchOn()
        previousSystem = try systemTotals()
        _ = try takeWindowMax()
        processWindow.restart(at: try processWaits.entries(keyType: UInt32.self, valueType: Log2HistogramSlots.self))
    }

    func collect() throws(BPFError) -> SchedLatencyMetrics {
        let processes = try processWaits.entries(keyType: UInt32.self, valueType: Log2HistogramSlots.self, reusing: processWindow.takeSpare())
        let system = try systemTotals()
        let longest = try takeWindowMax()
        defer { previousSystem = system }
        var histogram = system.subtracting(previousSystem).histogram()
        // A wait ending between the slot read and the max reset can push the max into this window
        // while its slot lands in the next: rare, and the max is still a real wait.
        if histogram.count > 0 { histogram.maxNanoseconds = longest }
        let processWaits = processWaits
        let worst = processWindow.advance(to: processes, largest: SchedLatencyMetrics.topProcessLimit, by: \.totalNanoseconds) {
            try? processWaits.delete($0)
        }
        return SchedLatencyMetrics(
            histogram: histogram,
            topProcesses: worst.map { process in
                ProcessSchedLatency(
                    pid: Int32(bitPattern: process.tgid),
                    comm: EbpfMetricsCollector.command(of: process.tgid),
                    histogram: process.delta.histogram()
                )
            }
        )
    }

    /// The system-wide histogram, all CPUs together.
    private func systemTotals() throws(BPFError) -> Log2HistogramSlots {
        try systemWaits.perCPUValues(at: UInt32(0), as: Log2HistogramSlots.self).reduce(Log2HistogramSlots()) { $0.adding($1) }
    }

    /// The longest wait since the previous call, on any CPU; zeroes the per-CPU maxima. A wait that
    /// ends between the read and the reset is lost from the maximum (not from the histogram).
    private func takeWindowMax() throws(BPFError) -> UInt64 {
        let perCPU = try windowMax.perCPUValues(at: UInt32(0), as: UInt64.self)
        try windowMax.setPerCPUValues([UInt64](repeating: 0, count: perCPU.count), at: UInt32(0))
        return perCPU.max() ?? 0
    }
}
