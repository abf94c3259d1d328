import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// Cgroup CPU accounting, a feature of the shared `bpf/scheduler.bpf.c` (``SchedulerObject``):
/// on-CPU nanoseconds per cgroup v2 and per systemd unit, from sched_switch, named by walking /sys/fs/cgroup; its output is the collection's ``MetricsCollection/cgroups``.
///
/// Entries of cgroups that were removed are deleted from the kernel map once their time stops
/// changing, so the map stays bounded by the live cgroups.
final class CgroupCPUProgram: SchedulerFeatureReader {
    /// The area's name in `status` and `overhead` (it had its own object, `bpf/cgroup_cpu.bpf.c`, before the scheduler object).
    static let name = "cgroup_cpu"
    static let metricSwitch = MetricSwitch.cgroups
    static let feature = SchedulerFeature.cgroups

    let scheduler: SchedulerObject
    let ownPrograms = BPFLinkSet(programs: [])
    /// The per-CPU switch state, shared with CPU accounting.
    private let switches: BPFMap
    private let cgroups: BPFMap
    private var directory: CgroupDirectory
    /// The accounting at the end of the latest window (or at ``attach()``).
    private var previous: CgroupCPUSnapshot?

    /// Takes the loader's scheduler object (loading it if no area did yet); nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        directory = CgroupDirectory(root: CgroupDirectory.mountPoint())
        scheduler = try loader.scheduler.object(loader: loader)
        switches = scheduler.accounting
        cgroups = try scheduler.object.map(named: "cgroup_cpu_ns")
    }

    /// Starts accounting; the per-cgroup totals are kept and keep growing. A slice already running
    /// when it starts is not charged (its cgroup was not read at its switch-in), so the detached
    /// period never is.
    func attach() throws(BPFError) {
        guard !isAttached else { return }
        try switchOn()
        previous = try snapshot()
    }

    /// Every cgroup that ran over the window, busiest first.
    func collect(into collection: inout MetricsCollection, processes: ProcessCountersReading?) throws(BPFError) {
        let snapshot = try self.snapshot()
        defer { previous = snapshot }
        collection.mapFullDrops[Self.name] = snapshot.droppedIntervals
        guard let previous else {
            Self.report(nil, window: 0, source: .ebpf, "first collection: no interval yet", in: &collection)
            return
        }
        let window = snapshot.takenAtNanoseconds.subtractingClamped(previous.takenAtNanoseconds)
        var rows: [CgroupCPUUsage] = []
        for (id, total) in snapshot.cgroupNanoseconds {
            let before = previous.cgroupNanoseconds[id]
            let path = directory.path(of: id)
            // Idle and nameless: removed, or outside a cgroup namespace's view, where it comes back
            // (its total from 0) when it runs again; either way the map stays bounded.
            if before == total, path == nil {
                try? forgetCgroup(id)
                continue
            }
            let delta = before.map { total.subtractingClamped($0) } ?? total
            rows.append(CgroupCPUUsage(
                cgroup: path,
                id: id,
                unit: path.flatMap(SystemdUnit.name(of:)),
                cpuPercent: window == 0 ? 0 : Double(delta) / Double(window) * 100,
                cpuTimeNanoseconds: delta,
                cpuTotalNanoseconds: total,
                outsideNamespace: path == nil && !directory.seesWholeHierarchy ? true : nil
            ))
        }
        rows.sort { $0.cpuTimeNanoseconds > $1.cpuTimeNanoseconds }
        Self.report(rows, window: window / 1_000_000, source: .ebpf, nil, in: &collection)
    }

    /// The report says it all: cgroup CPU has no entry in `sources`.
    static func noteMeasured(missingDetail: String?, in collection: inout MetricsCollection) {}

    static func noteDisabled(in collection: inout MetricsCollection) {
        report(nil, window: 0, source: .disabled, metricSwitch.disabledReason, in: &collection)
    }

    static func noteMissing(_ reason: String, in collection: inout MetricsCollection) {
        report(nil, window: 0, source: .unavailable, reason, in: &collection)
    }

    private static func report(
        _ rows: [CgroupCPUUsage]?, window: UInt64, source: MetricSource, _ reason: String?, in collection: inout MetricsCollection
    ) {
        collection.cgroups = CgroupsReport(
            by: .cgroup, cgroups: rows, timestamp: collection.timestamp, windowMilliseconds: Int64(window),
            source: source, unavailable: reason
        )
    }

    /// The accounting now, in-flight intervals included.
    func snapshot() throws(BPFError) -> CgroupCPUSnapshot {
        let totals = try cgroups.entries(keyType: UInt64.self, valueType: UInt64.self)
        let slots = try switches.perCPUValues(at: UInt32(0), as: CPUSwitchAccounting.self)
        return CgroupCPUSnapshot(slots: slots, cgroupNanoseconds: totals, now: Clock.monotonicNanoseconds())
    }

    /// Deletes a removed cgroup's entry so the map holds live cgroups only.
    func forgetCgroup(_ id: UInt64) throws(BPFError) {
        try cgroups.delete(id)
    }
}
