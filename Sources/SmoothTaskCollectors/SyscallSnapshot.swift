/// The syscall program's cumulative counters at one instant; two of them give an interval's figures.
struct SyscallSnapshot {
    /// Totals over all CPUs.
    var totals: SyscallTotals
    /// Syscalls that returned, per number, indexed by number.
    var perSyscall: [UInt64]
    /// Failures per (number, errno).
    var failures: [SyscallFailureKey: UInt64]
    /// CLOCK_MONOTONIC nanoseconds of the reading.
    var takenAtNanoseconds: UInt64
}
