import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/syscalls.bpf.c`: syscalls entered (per CPU, per number, per process) on
/// raw_syscalls/sys_enter, failures per (number, errno) and per process on sys_exit. Its per-process
/// map is shared with ``ProcessLifecycleProgram``, whose exit program removes processes that exited.
final class SyscallCounterProgram: MetricProgram {
    /// The object's name, as in `bpf/`.
    static let name = "syscalls"
    static let metricSwitch = MetricSwitch.syscalls

    /// Its BPF programs, attached and detached together.
    let programs: BPFLinkSet
    private let totals: BPFMap
    private let perSyscall: BPFMap
    private let failureKinds: BPFMap

    /// Opens and loads the object; nothing runs until ``attach()``.
    /// - Parameter filterTGID: count only this process's syscalls; 0 counts every process.
    init(loader: ProgramLoader, filterTGID: UInt32) throws(BPFError) {
        let object = try loader.open(Self.name, elfBytes: EmbeddedBPFObject.syscalls.elfBytes)
        try object.setReadOnlyGlobal("filter_tgid", to: filterTGID)
        try object.load()
        programs = BPFLinkSet(programs: [
            try object.program(named: "count_syscall"), try object.program(named: "count_failure"),
        ])
        totals = try object.map(named: "syscall_totals")
        perSyscall = try object.map(named: "syscall_counts")
        failureKinds = try object.map(named: "syscall_failures")
    }

    /// Opens and loads the object counting every process's syscalls.
    convenience init(loader: ProgramLoader) throws(BPFError) {
        try self.init(loader: loader, filterTGID: 0)
    }

    /// Starts counting; counts from earlier attachments are kept, so the totals stay monotonic.
    func attach() throws(BPFError) {
        try programs.attach()
    }

    /// Syscalls counted on all CPUs since load, while attached.
    func totalCount() throws(BPFError) -> UInt64 {
        try summedTotals().count
    }

    /// Every counter, read now.
    func snapshot() throws(BPFError) -> SyscallSnapshot {
        SyscallSnapshot(
            totals: try summedTotals(),
            perSyscall: try perSyscall.perCPUArraySums(),
            failures: try failureKinds.entries(keyType: SyscallFailureKey.self, valueType: UInt64.self),
            takenAtNanoseconds: Clock.monotonicNanoseconds()
        )
    }

    private func summedTotals() throws(BPFError) -> SyscallTotals {
        SyscallTotals.sum(try totals.perCPUValues(at: UInt32(0), as: SyscallTotals.self))
    }
}
