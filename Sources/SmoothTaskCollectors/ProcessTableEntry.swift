import CSmoothTaskBPFTypes

/// One process's entry of the process table: `struct process_counters` of bpf/process_table.h,
/// imported from the header the programs are compiled with.
typealias ProcessTableEntry = process_counters
