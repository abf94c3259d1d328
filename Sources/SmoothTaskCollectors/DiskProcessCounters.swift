/// Swift mirror of `struct disk_process_counters` in bpf/disk_metrics.h: one process's block I/O
/// bytes since load. A test compares its size with the C struct's.
struct DiskProcessCounters: BitwiseCopyable, Equatable, CumulativeCounters {
    var readBytes: UInt64 = 0
    var writeBytes: UInt64 = 0

    func subtracting(_ earlier: DiskProcessCounters) -> DiskProcessCounters {
        DiskProcessCounters(
            readBytes: readBytes.sinceRestartable(earlier.readBytes),
            writeBytes: writeBytes.sinceRestartable(earlier.writeBytes)
        )
    }
}
