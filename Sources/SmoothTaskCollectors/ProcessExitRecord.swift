import CSmoothTaskBPFTypes

/// One exited process as the kernel sent it: `struct process_exit_record` of
/// bpf/process_lifecycle.h, imported from the header the program is compiled with.
typealias ProcessExitRecord = process_exit_record
