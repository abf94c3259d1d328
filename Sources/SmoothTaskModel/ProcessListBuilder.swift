/// How an area's per-process list entry is made from one process's window counts: the one place for
/// the collector (live lists) and the history (lists rebuilt from recorded process rows), so a
/// replayed list is the live one to the bit.
public enum ProcessListBuilder {
    /// A `top_processes` entry: `cpuNanoseconds` on CPU in a window of `windowNanoseconds` (above 0).
    public static func cpu(pid: Int32, comm: String?, cpuNanoseconds: UInt64, windowNanoseconds: UInt64) -> ProcessCPUUsage {
        ProcessCPUUsage(
            pid: pid, comm: comm, cpuPercent: Double(cpuNanoseconds) / Double(windowNanoseconds) * 100, cpuTimeNanoseconds: cpuNanoseconds
        )
    }

    /// A count list's entry (syscalls, faults): `count` events and their rate per second over
    /// `windowNanoseconds` (0 when the window is empty).
    public static func events(pid: Int32, comm: String?, count: UInt64, windowNanoseconds: UInt64) -> ProcessEventCount {
        let seconds = Double(windowNanoseconds) / 1e9
        return ProcessEventCount(pid: pid, comm: comm, count: count, ratePerSecond: seconds > 0 ? Double(count) / seconds : 0)
    }

    /// A `disk.top_processes` entry.
    public static func disk(pid: Int32, comm: String?, readBytes: UInt64, writeBytes: UInt64) -> ProcessDiskIO {
        ProcessDiskIO(pid: pid, comm: comm, readBytes: readBytes, writeBytes: writeBytes)
    }
}
