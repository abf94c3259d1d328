import SmoothTaskBPF
import SmoothTaskModel

/// A loaded object whose programs' kernel run statistics the daemon reports as its overhead.
protocol MeasuredProgram: AnyObject {
    /// The object's name, as in `bpf/`.
    static var name: String { get }
    /// True while its programs run on their hooks.
    var isAttached: Bool { get }
    /// Its BPF programs.
    var programs: BPFLinkSet { get }
    /// Starts its programs on their hooks.
    func attach() throws(BPFError)
    /// Stops them; they then cost nothing.
    func detach()
}

extension MeasuredProgram {
    /// One overhead report per BPF program, named `object/program`; counts only when the kernel keeps them.
    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        programs.programs.map { program in
            var report = ProgramOverhead(name: "\(Self.name)/\(program.name)", hook: program.hook, attached: isAttached)
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
}
