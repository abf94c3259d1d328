import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// One loaded eBPF object (one `bpf/*.bpf.c`), or one feature of the shared `bpf/scheduler.bpf.c`
/// (``SchedulerFeatureReader``): the shape every program of the daemon has.
///
/// A ``ProgramSlot`` loads it, attaches and detaches it, and reports it in `status` and `overhead`.
/// Its hooks and program names come from the loaded programs (`bpf_program__section_name`,
/// `bpf_program__name`), never from typed-in strings, so what the daemon reports is what the kernel runs.
protocol KernelProgram: AnyObject {
    /// The object's name, as in `bpf/` (`syscalls` for `bpf/syscalls.bpf.c`), or the area's for a
    /// feature of the scheduler object (`cpu_metrics`, `cgroup_cpu`, `sched_latency`).
    static var name: String { get }

    /// Opens and loads the object with `loader`'s shared maps; nothing runs until ``attach()``.
    init(loader: ProgramLoader) throws(BPFError)

    /// Its loaded BPF programs, attached and detached together.
    var programs: BPFLinkSet { get }
    /// Optional hooks this kernel lacks; the object runs without them (see ``TracepointProgramGroup``).
    var missingHooks: [TracepointHook] { get }
    /// True while its programs run on their hooks.
    var isAttached: Bool { get }

    /// Starts its programs on their hooks, and the window its next collection covers.
    func attach() throws(BPFError)
    /// Stops them; they then cost nothing.
    func detach()
    /// One overhead report per loaded BPF program, named `object/program`.
    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead]
}

/// A ``KernelProgram`` that one configuration switch attaches: every metric area's.
protocol MetricProgram: KernelProgram {
    /// The configuration switch that attaches it, e.g. ``MetricSwitch/disk``.
    static var metricSwitch: MetricSwitch { get }
}

extension KernelProgram {
    var missingHooks: [TracepointHook] { [] }
    var isAttached: Bool { programs.isAttached }
    func detach() { programs.detach() }

    /// The hooks of its loaded programs as `status` lists them, e.g. `tp_btf/sched_switch, tp_btf/sched_process_exit`.
    var hooks: String { programs.programs.map(\.hook).joined(separator: ", ") }

    /// One overhead report per loaded BPF program, named `object/program`, with the hook its section
    /// names; counts only when the kernel keeps them (`kernelKeepsStatistics`).
    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        programs.programs.map { overhead(of: $0, attached: isAttached, kernelKeepsStatistics: kernelKeepsStatistics) }
    }

    /// `program`'s overhead report, named `object/program`.
    func overhead(of program: BPFProgram, attached: Bool, kernelKeepsStatistics: Bool) -> ProgramOverhead {
        var report = ProgramOverhead(name: "\(Self.name)/\(program.name)", hook: program.hook, attached: attached)
        guard kernelKeepsStatistics else {
            report.detail = "kernel.bpf_stats_enabled is 0"
            return report
        }
        do throws(BPFError) {
            let statistics = try program.runtimeStatistics()
            report.runCount = statistics.runCount
            report.runTimeNanoseconds = statistics.runTimeNanoseconds
            report.nanosecondsPerEvent = statistics.nanosecondsPerRun
        } catch {
            report.detail = error.description
        }
        return report
    }
}
