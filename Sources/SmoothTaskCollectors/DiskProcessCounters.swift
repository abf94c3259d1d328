import CSmoothTaskBPFTypes

/// One process's block I/O bytes since load: `struct disk_process_counters` of bpf/disk_metrics.h,
/// imported from the header the program is compiled with.
typealias DiskProcessCounters = disk_process_counters

extension DiskProcessCounters: CumulativeCounters {
    func subtracting(_ earlier: DiskProcessCounters) -> DiskProcessCounters {
        DiskProcessCounters(
            read_bytes: read_bytes.sinceRestartable(earlier.read_bytes),
            write_bytes: write_bytes.sinceRestartable(earlier.write_bytes)
        )
    }
}
