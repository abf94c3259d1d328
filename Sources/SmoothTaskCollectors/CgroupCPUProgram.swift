import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/cgroup_cpu.bpf.c`: on-CPU nanoseconds per cgroup v2, from sched_switch.
final class CgroupCPUProgram: MetricProgram {
    /// The object's name, as in `bpf/`.
    static let name = "cgroup_cpu"
    static let metricSwitch = MetricSwitch.cgroups

    /// Its BPF program.
    let programs: BPFLinkSet
    private let switches: BPFMap
    private let cgroups: BPFMap

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError) {
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
