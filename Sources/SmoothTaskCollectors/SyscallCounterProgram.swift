import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects

/// The loaded `bpf/syscalls.bpf.c`: syscalls entered, counted per CPU on raw_syscalls/sys_enter.
final class SyscallCounterProgram: MeasuredProgram {
    /// The object's name, as in `bpf/`.
    static let name = "syscalls"
    /// The hook its program attaches to.
    static let hook = "raw_tp/sys_enter"

    private let program: BPFProgram
    private let totals: BPFMap
    private var link: BPFLink?

    /// Opens and loads the object; nothing runs until ``attach()``.
    /// - Parameter filterTGID: count only this process's syscalls; 0 counts every process.
    init(logger: Logger, filterTGID: UInt32 = 0) throws(BPFError) {
        let object = try BPFObject(name: Self.name, elfBytes: EmbeddedBPFObject.syscalls.elfBytes, logger: logger)
        try object.setReadOnlyGlobal("filter_tgid", to: filterTGID)
        try object.load()
        program = try object.program(named: "count_syscall")
        totals = try object.map(named: "syscall_totals")
    }

    /// True while the program runs on every syscall.
    var isAttached: Bool { link != nil }

    /// Starts counting; counts from earlier attachments are kept, so the total stays monotonic.
    func attach() throws(BPFError) {
        guard link == nil else { return }
        link = try program.attach()
    }

    /// Stops counting; the program then costs nothing on syscalls.
    func detach() {
        link?.detach()
        link = nil
    }

    /// Syscalls counted on all CPUs since load, while attached.
    func totalCount() throws(BPFError) -> UInt64 {
        try totals.perCPUValues(at: UInt32(0), as: SyscallTotals.self).reduce(0) { $0 + $1.count }
    }

    /// The kernel's run count and run time for the program.
    func runtimeStatistics() throws(BPFError) -> BPFRuntimeStatistics {
        try program.runtimeStatistics()
    }
}
