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
}

extension ProgramSlot: AnyProgramSlot {}
