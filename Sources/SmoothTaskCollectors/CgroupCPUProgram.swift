import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/cgroup_cpu.bpf.c`: on-CPU nanoseconds per cgroup v2 and per systemd unit, from
/// sched_switch, named by walking /sys/fs/cgroup; its output is the collection's ``MetricsCollection/cgroups``.
///
/// Entries of cgroups that were removed are deleted from the kernel map once their time stops
/// changing, so the map stays bounded by the live cgroups.
final class CgroupCPUProgram: MetricAreaReader {
    /// The object's name, as in `bpf/`.
    static let name = "cgroup_cpu"
    static let metricSwitch = MetricSwitch.cgroups

    /// Its BPF program.
    let programs: BPFLinkSet
    private let switches: BPFMap
    private let cgroups: BPFMap
    private var directory: CgroupDirectory
    /// The accounting at the end of the latest window (or at ``attach()``).
    private var previous: CgroupCPUSnapshot?

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
        directory = CgroupDirectory(root: CgroupDirectory.mountPoint())
        let object = try loader.open(Self.name, elfBytes: EmbeddedBPFObject.cgroupCpu.elfBytes)
        try object.load()
        programs = BPFLinkSet(programs: [try object.program(named: "account_cgroup_switch")])
        switches = try object.map(named: "cgroup_switch")
        cgroups = try object.map(named: "cgroup_cpu_ns")
    }

    /// Starts accounting. The per-CPU slots are zeroed first so the detached period is not charged
    /// to the first switch; the per-cgroup totals are kept and keep growing.
    func attach() throws(BPFError) {
        guard !programs.isAttached else { return }
        let cpus = try BPFMap.possibleCPUCount()
        try switches.setPerCPUValues([CgroupSwitchState](repeating: CgroupSwitchState(), count: cpus), at: UInt32(0))
        try programs.attach()
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
        let slots = try switches.perCPUValues(at: UInt32(0), as: CgroupSwitchState.self)
        return CgroupCPUSnapshot(slots: slots, cgroupNanoseconds: totals, now: Clock.monotonicNanoseconds())
    }

    /// Deletes a removed cgroup's entry so the map holds live cgroups only.
    func forgetCgroup(_ id: UInt64) throws(BPFError) {
        try cgroups.delete(id)
    }
}
