import CSmoothTaskBPFTypes

/// One CPU's counts of the `syscall_totals` map: `struct syscall_totals` of bpf/syscalls.h, imported
/// from the header the program is compiled with.
typealias SyscallTotals = syscall_totals

extension SyscallTotals {
    /// The CPUs' counts added up.
    static func sum(_ perCPU: [SyscallTotals]) -> SyscallTotals {
        perCPU.reduce(into: SyscallTotals()) { sum, cpu in
            sum.count &+= cpu.count
            sum.failures &+= cpu.failures
            sum.beyond_table &+= cpu.beyond_table
            sum.process_map_full &+= cpu.process_map_full
            sum.failure_map_full &+= cpu.failure_map_full
        }
    }
}
