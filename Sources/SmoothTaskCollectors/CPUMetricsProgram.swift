import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects

/// The loaded `bpf/cpu_metrics.bpf.c`: per-CPU busy/idle and per-process on-CPU time from sched_switch.
final class CPUMetricsProgram: MeasuredProgram {
    /// The object's name, as in `bpf/`.
    static let name = "cpu_metrics"
    /// The hook its program attaches to.
    static let hook = "tp_btf/sched_switch"

    private let program: BPFProgram
    private let accounting: BPFMap
    private let processes: BPFMap
    private var link: BPFLink?

    /// Opens and loads the object; nothing runs until ``attach()``.
    init(logger: Logger) throws(BPFError) {
        let object = try BPFObject(name: Self.name, elfBytes: EmbeddedBPFObject.cpuMetrics.elfBytes, logger: logger)
        try object.load()
        program = try object.program(named: "account_switch")
        accounting = try object.map(named: "cpu_accounting")
        processes = try object.map(named: "process_cpu_ns")
    }

    /// True while the program runs on every context switch.
    var isAttached: Bool { link != nil }

    /// Starts accounting. The per-CPU slots are zeroed first: left from an earlier attachment, their
    /// last switch times would charge the whole detached period to the first switch.
    func attach() throws(BPFError) {
        guard link == nil else { return }
        let cpus = try BPFMap.possibleCPUCount()
        try accounting.setPerCPUValues([CPUSwitchAccounting](repeating: CPUSwitchAccounting(), count: cpus), at: UInt32(0))
        link = try program.attach()
    }

    /// Stops accounting; the program then costs nothing on context switches.
    func detach() {
        link?.detach()
        link = nil
    }

    /// The accounting now, in-flight intervals included.
    func snapshot() throws(BPFError) -> SchedSwitchSnapshot {
        let processNanoseconds = try processes.entries(keyType: UInt32.self, valueType: UInt64.self)
        let slots = try accounting.perCPUValues(at: UInt32(0), as: CPUSwitchAccounting.self)
        return SchedSwitchSnapshot(slots: slots, processNanoseconds: processNanoseconds, now: Clock.monotonicNanoseconds())
    }

    /// Deletes an exited process's entry so the map and the baselines hold live processes only.
    func forgetProcess(_ tgid: UInt32) throws(BPFError) {
        try processes.delete(tgid)
    }

    /// The kernel's run count and run time for the program.
    func runtimeStatistics() throws(BPFError) -> BPFRuntimeStatistics {
        try program.runtimeStatistics()
    }
}
