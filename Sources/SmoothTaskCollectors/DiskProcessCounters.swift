import CSmoothTaskBPFTypes

/// One process's block I/O bytes since load: `struct disk_process_counters` of bpf/disk_metrics.h,
/// imported from the header the program is compiled with.
typealias DiskProcessCounters = disk_process_counters

