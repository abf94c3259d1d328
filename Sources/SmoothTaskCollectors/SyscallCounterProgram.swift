import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel

/// The loaded `bpf/syscalls.bpf.c`: one program on raw_syscalls/sys_exit counts every syscall as it
/// returns (per CPU, per number, per process) and the failures per (number, errno) and per process,
/// so each syscall pays one program dispatch. Its per-process map is shared with
/// ``ProcessLifecycleProgram``, whose exit program removes processes that exited.
final class SyscallCounterProgram: MetricAreaReader {
    /// The object's name, as in `bpf/`.
    static let name = "syscalls"
    static let isEssential = true
    static let metricSwitch = MetricSwitch.syscalls
    static let countingArea: ProcessCountingArea? = .syscalls
    static let detailNames = [EbpfMetrics.Name.syscallDetails]

    /// Its BPF program (one), attached and detached as a set like every area's.
    let programs: BPFLinkSet
    private let totals: BPFMap
    private let perSyscall: BPFMap
    private let failureKinds: BPFMap
    private let logger: Logger
    /// The total count at the end of the latest window (or at ``attach()``), and when it was read.
    private var previousCount: (count: UInt64, atNanoseconds: UInt64)?
    /// Every counter at the end of the latest window (or at ``attach()``).
    private(set) var previousSnapshot: SyscallSnapshot?

    /// Opens and loads the object; nothing runs until ``attach()``.
    /// - Parameter filterTGID: count only this process's syscalls; 0 counts every process.
    init(loader: ProgramLoader, filterTGID: UInt32) throws(BPFError) {
        logger = loader.logger
        let object = try loader.open(Self.name, elfBytes: EmbeddedBPFObject.syscalls.elfBytes)
        try object.setReadOnlyGlobal("filter_tgid", to: filterTGID)
        try object.load()
        programs = BPFLinkSet(programs: [try object.program(named: "count_syscall")])
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
        previousCount = (try totalCount(), Clock.monotonicNanoseconds())
        previousSnapshot = try snapshot()
    }

    /// The count since load and the rate over the window, and the details (per syscall, failures)
    /// of the window; details that cannot be read are reported missing without losing the count.
    func collect(into metrics: inout MetricsCollection, processes: ProcessCountersReading?) throws(BPFError) {
        let count = try totalCount()
        let now = Clock.monotonicNanoseconds()
        metrics.syscallCount = count
        if let previous = previousCount, now > previous.atNanoseconds {
            let seconds = Double(now - previous.atNanoseconds) / 1e9
            metrics.syscallRate = Double(count.subtractingClamped(previous.count)) / seconds
        }
        previousCount = (count, now)
        do throws(BPFError) {
            let snapshot = try self.snapshot()
            defer { previousSnapshot = snapshot }
            guard let previous = previousSnapshot else {
                metrics.unavailable[EbpfMetrics.Name.syscallDetails] = "first collection: no interval yet"
                return
            }
            metrics.syscalls = SyscallReport.metrics(current: snapshot, previous: previous)
        } catch {
            logger.warning("Reading syscalls maps failed", metadata: ["error": "\(error)"])
            metrics.unavailable[EbpfMetrics.Name.syscallDetails] = error.description
        }
    }

    /// Syscalls that returned on all CPUs since load, while attached.
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
