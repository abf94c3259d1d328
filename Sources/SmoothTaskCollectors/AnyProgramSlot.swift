import SmoothTaskModel

/// A ``ProgramSlot`` of any program, as the collectors list them: every slot is reported in `status`
/// and `overhead` the same way, whatever its program collects.
protocol AnyProgramSlot: AnyObject {
    /// The object in `status`: its loaded hooks, attached or why not.
    var status: ProgramStatus { get }
    /// What each of its loaded BPF programs has cost in the kernel.
    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead]
    /// Detaches and unloads the program for good.
    func shutdown()
    /// The object's name, as in `bpf/`.
    var objectName: String { get }
    /// The switch that attaches it; `nil` for one that is always on.
    var metricSwitch: MetricSwitch? { get }
    /// Marks it shed by the overhead budget (`reason`) or not (`nil`); the owner re-applies its switch.
    func shed(reason: String?)
}

extension ProgramSlot: AnyProgramSlot {}
