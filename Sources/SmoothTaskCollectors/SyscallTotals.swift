/// Swift mirror of `struct syscall_totals` in bpf/syscalls.h: one CPU's counts. A test compares its
/// size with the C struct's.
struct SyscallTotals: BitwiseCopyable, Equatable {
    /// Syscalls entered while the program was attached.
    var count: UInt64 = 0
    /// Syscalls that returned an errno.
    var failures: UInt64 = 0
    /// Syscalls whose number is beyond the per-number table (`SYSCALLS_MAX_ID`).
    var beyondTable: UInt64 = 0
    /// Per-process inserts refused because `process_syscalls` was full.
    var processMapFull: UInt64 = 0
    /// Failure-kind inserts refused because `syscall_failures` was full.
    var failureMapFull: UInt64 = 0

    /// The CPUs' counts added up.
    static func sum(_ perCPU: [SyscallTotals]) -> SyscallTotals {
        perCPU.reduce(into: SyscallTotals()) { sum, cpu in
            sum.count &+= cpu.count
            sum.failures &+= cpu.failures
            sum.beyondTable &+= cpu.beyondTable
            sum.processMapFull &+= cpu.processMapFull
            sum.failureMapFull &+= cpu.failureMapFull
        }
    }
}
