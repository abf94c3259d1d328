import SmoothTaskBPF
import SmoothTaskModel

/// A loaded program whose kernel run statistics the daemon reports as its overhead.
protocol MeasuredProgram: AnyObject {
    /// The object's name, as in `bpf/`.
    static var name: String { get }
    /// The hook its program attaches to.
    static var hook: String { get }
    /// True while the program runs on its hook.
    var isAttached: Bool { get }
    /// The kernel's counters for the program.
    func runtimeStatistics() throws(BPFError) -> BPFRuntimeStatistics
}

extension MeasuredProgram {
    /// The program's overhead report; counts only when the kernel is keeping them.
    func overhead(kernelKeepsStatistics: Bool) -> ProgramOverhead {
        var report = ProgramOverhead(name: Self.name, hook: Self.hook, attached: isAttached)
        guard kernelKeepsStatistics else {
            report.detail = "kernel.bpf_stats_enabled is 0"
            return report
        }
        do throws(BPFError) {
            let statistics = try runtimeStatistics()
            report.runCount = statistics.runCount
            report.runTimeNanoseconds = statistics.runTimeNanoseconds
            report.nanosecondsPerEvent = statistics.nanosecondsPerRun
        } catch {
            report.detail = error.description
        }
        return report
    }
}
