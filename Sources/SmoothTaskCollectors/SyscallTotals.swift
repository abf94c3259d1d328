/// Swift mirror of `struct syscall_totals` in bpf/syscalls.h: one CPU's syscall count. A test
/// compares its size with the C struct's.
struct SyscallTotals: BitwiseCopyable, Equatable {
    /// Syscalls entered on this CPU while the program was attached.
    var count: UInt64 = 0
}
