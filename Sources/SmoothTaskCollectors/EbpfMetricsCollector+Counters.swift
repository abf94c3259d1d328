#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskModel

extension EbpfMetricsCollector {
    /// Seconds per /proc/stat tick (USER_HZ, 100 on every Linux build but read rather than assumed).
    static let secondsPerTick = 1 / Double(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// The cumulative counters as of the latest ``collectMetrics()``, for the Prometheus exposition:
    /// the same readings the collection's windows were computed from (so a counter and a window
    /// agree), plus the PSI totals read now. Areas switched off or unreadable are `nil`.
    public func counterReadings() -> CounterReadings {
        var readings = CounterReadings()
        if config.enableCPUMetrics, let stat = previousProcStat {
            readings.cpuModeSeconds = stat.perCPU.mapValues { ticks in
                [
                    "user": ticks.user, "nice": ticks.nice, "system": ticks.system, "idle": ticks.idle,
                    "iowait": ticks.iowait, "irq": ticks.irq, "softirq": ticks.softirq, "steal": ticks.steal,
                ].mapValues { Double($0) * Self.secondsPerTick }
            }
        }
        if config.enableCPUMetrics, let schedSwitch = previousSchedSwitch {
            var perCPU: [Int: [String: Double]] = [:]
            for (cpu, time) in schedSwitch.perCPU.enumerated() where time.busyNanoseconds + time.idleNanoseconds > 0 {
                perCPU[cpu] = ["busy": Double(time.busyNanoseconds) / 1e9, "idle": Double(time.idleNanoseconds) / 1e9]
            }
            readings.cpuSchedSeconds = perCPU
        }
        if config.enableSyscallMonitoring, let snapshot = previousSyscallSnapshot {
            var byName: [String: UInt64] = [:]
            for (id, count) in snapshot.perSyscall.enumerated() where count > 0 {
                byName[SyscallTable.name(of: UInt32(id)) ?? "syscall_\(id)", default: 0] += count
            }
            var byErrno: [String: UInt64] = [:]
            for (key, count) in snapshot.failures where count > 0 {
                byErrno[SyscallTable.errnoName(of: key.error) ?? "E\(key.error)", default: 0] += count
            }
            readings.syscalls = byName
            readings.syscallFailures = byErrno
        }
        if config.enableMemoryMetrics, let events = previousMemoryEvents {
            readings.userFaults = events.totals.user_faults
            readings.reclaimStalls = events.totals.reclaim_stalls
            readings.reclaimStallNanoseconds = events.totals.reclaim_ns
            readings.oomKills = events.oomKills
        }
        readings.pressure = PressureTotals.read()
        for area in areas {
            (area as? any CounterReadingArea)?.addCounters(to: &readings)
        }
        return readings
    }
}
