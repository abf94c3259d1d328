import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskHostChecks
import SmoothTaskModel

/// The loaded `bpf/scheduler.bpf.c`, shared by the three areas that watch context switches
/// (``CPUMetricsProgram``, ``CgroupCPUProgram``, ``SchedLatencyProgram``): one program on
/// sched_switch does the work of whichever ``SchedulerFeature``s are on, so a switch pays one
/// program dispatch instead of one per area, and CPU and cgroup accounting share one per-CPU state.
///
/// A feature goes on and off by a bit of the program's `scheduler_features` global, without
/// re-attaching; the program is attached while any feature is on and detached when the last goes
/// off. Each area stays an object of its own in `status`, `overhead` and the overhead budget, its
/// cost a share of the one program's (``overhead(of:area:kernelKeepsStatistics:)``).
final class SchedulerObject {
    /// The name of its file in `bpf/`.
    static let objectName = "scheduler"
    /// sched_switch gained its `prev_state` argument, which tells a preempted thread from a sleeping
    /// one and which run-queue latency needs, in 5.18; before it the object loads without the
    /// run-queue part (`on_sched_switch_accounting`, no wakeup programs, no task storage).
    static let runQueueMinimumKernel = (major: 5, minor: 18)

    /// The loaded object, for the areas' maps.
    let object: BPFObject
    /// The one sched_switch program, attached while any feature is on.
    let switchProgram: BPFLinkSet
    /// The wakeup programs of run-queue latency; empty when this kernel cannot run it.
    let wakeupPrograms: [BPFProgram]
    /// Whether this kernel runs the run-queue part (``runQueueMinimumKernel``).
    let runsRunQueue: Bool
    /// The per-CPU switch state CPU and cgroup accounting share.
    let accounting: BPFMap
    /// The object's `.bss`: `scheduler_features` alone.
    private let globals: BPFMap
    /// The features on.
    private(set) var features: Set<SchedulerFeature> = []
    /// The program's counters when the shares were last settled.
    private var settled: BPFRuntimeStatistics?
    /// Each feature's part of the program's runs and run time since load.
    private var shares: [SchedulerFeature: (runs: UInt64, nanoseconds: Double)] = [:]

    /// Whether this kernel can run the run-queue part (``runQueueMinimumKernel``).
    static var kernelRunsRunQueue: Bool {
        KernelRelease.current.isAtLeast(major: runQueueMinimumKernel.major, minor: runQueueMinimumKernel.minor)
    }

    /// Opens and loads the object with `loader`'s shared maps; nothing runs until a feature goes on.
    /// - Parameter runQueue: whether to load the run-queue part; tests load the older kernels' shape here.
    init(loader: ProgramLoader, runQueue: Bool = SchedulerObject.kernelRunsRunQueue) throws(BPFError) {
        runsRunQueue = runQueue
        let object = try loader.open(Self.objectName, elfBytes: EmbeddedBPFObject.scheduler.elfBytes)
        let withRunQueue = try object.program(named: "on_sched_switch")
        let accountingOnly = try object.program(named: "on_sched_switch_accounting")
        let wakeups = [try object.program(named: "record_wakeup"), try object.program(named: "record_wakeup_new")]
        if runsRunQueue {
            try accountingOnly.setAutoload(false)
        } else {
            try withRunQueue.setAutoload(false)
            for program in wakeups { try program.setAutoload(false) }
            // Task storage for tracing programs came in 5.11: an older kernel would refuse the whole object.
            try object.map(named: "runnable_since").setAutocreate(false)
        }
        try object.load()
        self.object = object
        switchProgram = BPFLinkSet(programs: [runsRunQueue ? withRunQueue : accountingOnly])
        wakeupPrograms = runsRunQueue ? wakeups : []
        accounting = try object.map(named: "cpu_accounting")
        globals = try object.map(named: ".bss")
        try writeFeatures()
    }

    /// Whether `feature` is on and the program runs.
    func isOn(_ feature: SchedulerFeature) -> Bool {
        features.contains(feature) && switchProgram.isAttached
    }

    /// Turns `feature` on, attaching the program if it is the first. The shared per-CPU state is
    /// zeroed when CPU or cgroup accounting goes on with neither on before: a switch time left from
    /// then would charge the whole period both were off to the first switch.
    func switchOn(_ feature: SchedulerFeature) throws(BPFError) {
        guard !isOn(feature) else { return }
        settleShares()
        let accountingFeatures: Set<SchedulerFeature> = [.cpu, .cgroups]
        if accountingFeatures.contains(feature), features.isDisjoint(with: accountingFeatures) {
            let cpus = try BPFMap.possibleCPUCount()
            try accounting.setPerCPUValues([CPUSwitchAccounting](repeating: CPUSwitchAccounting(), count: cpus), at: UInt32(0))
        }
        features.insert(feature)
        do throws(BPFError) {
            try writeFeatures()
            try switchProgram.attach()
        } catch {
            switchOff(feature)
            throw error
        }
    }

    /// Turns `feature` off, detaching the program if it was the last.
    func switchOff(_ feature: SchedulerFeature) {
        settleShares()
        features.remove(feature)
        // A failed write leaves the bit on: the program then keeps doing that part's work unread,
        // and the next switch-on or -off writes the whole set again.
        try? writeFeatures()
        if features.isEmpty { switchProgram.detach() }
    }

    private func writeFeatures() throws(BPFError) {
        try globals.setValue(features.reduce(UInt32(0)) { $0 | $1.bit }, at: UInt32(0))
    }

    /// Adds the program's runs since the previous settling to the features that were on meanwhile,
    /// its run time split by ``SchedulerFeature/shareWeight``: called before the set changes and
    /// before each reading, so each feature is charged only for the time it was on.
    private func settleShares() {
        guard let program = switchProgram.programs.first,
            let now = try? program.runtimeStatistics()
        else { return }
        defer { settled = now }
        guard let settled, !features.isEmpty else { return }
        let runs = now.runCount.subtractingClamped(settled.runCount)
        let nanoseconds = Double(now.runTimeNanoseconds.subtractingClamped(settled.runTimeNanoseconds))
        let weights = features.reduce(0) { $0 + $1.shareWeight }
        for feature in features {
            let share = shares[feature] ?? (0, 0)
            shares[feature] = (share.runs + runs, share.nanoseconds + nanoseconds * feature.shareWeight / weights)
        }
    }

    /// `area`'s row for the shared sched_switch program, named `area/program` as its own program
    /// would be: the runs while `feature` was on and its share of their run time.
    func overhead(of feature: SchedulerFeature, area: String, kernelKeepsStatistics: Bool) -> ProgramOverhead {
        let program = switchProgram.programs[0]
        var report = ProgramOverhead(name: "\(area)/\(program.name)", hook: program.hook, attached: isOn(feature))
        guard kernelKeepsStatistics else {
            report.detail = "kernel.bpf_stats_enabled is 0"
            return report
        }
        settleShares()
        let share = shares[feature] ?? (0, 0)
        report.runCount = share.runs
        report.runTimeNanoseconds = UInt64(share.nanoseconds)
        report.nanosecondsPerEvent = share.runs > 0 ? share.nanoseconds / Double(share.runs) : nil
        report.detail = "a share of \(Self.objectName)/\(program.name), the one sched_switch program of cpu_metrics, "
            + "cgroup_cpu and sched_latency: its run time split among the features on by their weights"
        return report
    }
}
