#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskModel

/// The /proc side of the CPU area: /proc/stat, read every collection so the fallback has a baseline
/// the moment the eBPF program stops working, and for the exposition's per-mode counters.
struct ProcStatReading: ProcfsAreaReading {
    /// Seconds per /proc/stat tick (USER_HZ, 100 on every Linux build but read rather than assumed).
    static let secondsPerTick = 1 / Double(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// The latest reading: the baseline of the next window and the counters' source.
    private(set) var previous: ProcStat?

    init() {
        previous = try? ProcStat.read()
    }

    /// Fills the CPU figures from /proc/stat when eBPF gave none, with both reasons if it cannot.
    mutating func collect(into metrics: inout MetricsCollection, ebpfMissing: String?, procfs: ProcfsTick) {
        let stat = procfs.stat
        let earlier = previous
        previous = try? stat.get()
        guard let ebpfMissing else { return }
        let name = EbpfMetrics.Name.cpu
        metrics.unavailable["top_processes"] = "needs the eBPF cpu_metrics program: \(ebpfMissing)"
        switch stat {
        case .failure(let error):
            metrics.sources[name] = .unavailable
            metrics.unavailable[name] = "eBPF: \(ebpfMissing); /proc/stat: \(error)"
        case .success(let stat):
            metrics.sources[name] = .procfs
            guard let earlier else {
                metrics.unavailable[name] = "first collection: no interval yet"
                return
            }
            metrics.cpuUsage = stat.total.busyPercent(since: earlier.total)
            metrics.cpuPerCore = stat.perCPUBusyPercent(since: earlier)
            metrics.unavailable[name] = metrics.cpuUsage == nil ? "no /proc/stat tick elapsed in the window" : nil
        }
    }

    func addCounters(to readings: inout CounterReadings) {
        guard let previous else { return }
        readings.cpuModeSeconds = previous.perCPU.mapValues { ticks in
            [
                "user": ticks.user, "nice": ticks.nice, "system": ticks.system, "idle": ticks.idle,
                "iowait": ticks.iowait, "irq": ticks.irq, "softirq": ticks.softirq, "steal": ticks.steal,
            ].mapValues { Double($0) * Self.secondsPerTick }
        }
    }
}
