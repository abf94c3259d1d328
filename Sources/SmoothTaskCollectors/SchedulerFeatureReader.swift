import SmoothTaskBPF
import SmoothTaskModel

/// A metric area whose sched_switch work is one ``SchedulerFeature`` of the shared
/// ``SchedulerObject``: attaching it turns its feature on, detaching turns it off, and its overhead
/// row for the sched_switch program is its share of the one program's cost.
protocol SchedulerFeatureReader: MetricAreaReader {
    /// Its feature of the shared program.
    static var feature: SchedulerFeature { get }
    /// The shared object.
    var scheduler: SchedulerObject { get }
    /// Programs of its own besides the shared one (run-queue latency's wakeups), attached with it.
    var ownPrograms: BPFLinkSet { get }
}

extension SchedulerFeatureReader {
    /// The shared sched_switch program and its own, for listing (`status` hooks): a set of its own, never
    /// attached itself; ``switchOn()`` and ``detach()`` attach and detach.
    var programs: BPFLinkSet { BPFLinkSet(programs: scheduler.switchProgram.programs + ownPrograms.programs) }

    var isAttached: Bool { scheduler.isOn(Self.feature) && (ownPrograms.programs.isEmpty || ownPrograms.isAttached) }

    /// Attaches its own programs and turns its feature on.
    func switchOn() throws(BPFError) {
        try ownPrograms.attach()
        do throws(BPFError) {
            try scheduler.switchOn(Self.feature)
        } catch {
            ownPrograms.detach()
            throw error
        }
    }

    func detach() {
        scheduler.switchOff(Self.feature)
        ownPrograms.detach()
    }

    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        [scheduler.overhead(of: Self.feature, area: Self.name, kernelKeepsStatistics: kernelKeepsStatistics)]
            + ownPrograms.programs.map {
                overhead(of: $0, attached: ownPrograms.isAttached, kernelKeepsStatistics: kernelKeepsStatistics)
            }
    }
}
