import CSmoothTaskBPFTypes

/// One device's totals since load: `struct disk_device_counters` of bpf/disk_metrics.h, imported
/// from the header the program is compiled with.
typealias DiskDeviceCounters = disk_device_counters

extension DiskDeviceCounters: CumulativeCounters {
    func subtracting(_ earlier: DiskDeviceCounters) -> DiskDeviceCounters {
        DiskDeviceCounters(
            read_requests: read_requests.sinceRestartable(earlier.read_requests),
            write_requests: write_requests.sinceRestartable(earlier.write_requests),
            other_requests: other_requests.sinceRestartable(earlier.other_requests),
            read_bytes: read_bytes.sinceRestartable(earlier.read_bytes),
            write_bytes: write_bytes.sinceRestartable(earlier.write_bytes),
            latency: Log2HistogramSlots(latency).subtracting(Log2HistogramSlots(earlier.latency)).raw
        )
    }
}
