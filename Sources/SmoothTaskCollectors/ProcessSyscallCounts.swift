import CSmoothTaskBPFTypes

/// One process's syscalls and failed syscalls since load: `struct process_syscall_counts` of
/// bpf/syscalls.h, imported from the header the program is compiled with.
typealias ProcessSyscallCounts = process_syscall_counts
