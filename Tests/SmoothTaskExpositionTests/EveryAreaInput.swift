import SmoothTaskExposition
import SmoothTaskModel

/// An ``ExportInput`` with a figure in every area, so the catalog yields every family it can:
/// what the dashboard and naming tests check against.
enum EveryAreaInput {
    static func make() -> ExportInput {
        var metrics = EbpfMetrics(
            cpuUsage: 10, cpuPerCore: [10, 20], memoryUsage: 1 << 30, memoryTotal: 4 << 30, syscallCount: 1000,
            timestamp: 1_700_000_000_000, windowMilliseconds: 1000, sources: ["cpu_usage": .ebpf]
        )
        metrics.unavailable = [:]
        let status = DaemonStatus(
            version: "test", protocolVersion: 1, pid: 1, uptimeSeconds: 1, config: .defaults, metrics: metrics,
            ebpf: EbpfState(
                support: EbpfSupport(supported: true, kernelRelease: "6.1.0"),
                programs: [ProgramStatus(name: "cpu_metrics", hook: "tp_btf/sched_switch", attached: true)]
            )
        )
        var readings = CounterReadings()
        readings.cpuModeSeconds = [0: ["user": 1, "system": 1, "idle": 5]]
        readings.cpuSchedSeconds = [0: ["busy": 2, "idle": 5]]
        readings.syscalls = ["read": 10, "getppid": 5]
        readings.syscallFailures = ["ENOENT": 2]
        readings.userFaults = 1
        readings.reclaimStalls = 1
        readings.reclaimStallNanoseconds = 1
        readings.oomKills = 0
        readings.pressure = [CounterReadings.Pressure(resource: "io", someMicroseconds: 5, fullMicroseconds: 2)]
        let histogram = LatencyHistogram(slotCounts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4], sumNanoseconds: 20_000)
        readings.disks = [CounterReadings.Disk(
            name: "vda", readRequests: 1, writeRequests: 2, otherRequests: 1, readBytes: 4096, writeBytes: 8192, latency: histogram
        )]
        readings.interfaces = [CounterReadings.Interface(name: "lo", receivedBytes: 1, receivedPackets: 1, sentBytes: 1, sentPackets: 1)]
        readings.tcpRetransmits = 0
        readings.runQueueWait = histogram
        var counters = CounterExport(createdSeconds: 1_700_000_000)
        let cgroups = CgroupsReport(
            by: .cgroup,
            cgroups: [CgroupCPUUsage(
                cgroup: "/system.slice/ssh.service", id: 7, unit: "ssh.service", cpuPercent: 1, cpuTimeNanoseconds: 10_000_000,
                cpuTotalNanoseconds: 10_000_000
            )],
            timestamp: 0, windowMilliseconds: 1000, source: .ebpf
        )
        counters.advance(readings: readings, cgroups: cgroups, cgroupLimit: 10)
        return ExportInput(
            status: status, cgroups: cgroups, daemonCPUSeconds: 1, daemonResidentBytes: 1 << 20, daemonStartTimeSeconds: 1_700_000_000,
            mapFullDrops: ["cgroup_cpu": 0], collectionDurations: DurationHistogram().snapshot,
            scrapeDurations: DurationHistogram().snapshot, counters: counters,
            budget: OverheadBudget(
                limitPercent: 1, estimatePercent: 0.4, daemonPercent: 0.3, programsPercent: 0.1, windowMilliseconds: 1000,
                programs: [ProgramCostEstimate(
                    name: "syscalls/count_syscall", object: "syscalls", hook: "tp_btf/sys_exit", attached: false, eventsPerSecond: 1e6,
                    rateSource: "syscall_rate_probe", nanosecondsPerEvent: 80, costSource: .bench, percent: 8
                )],
                shed: [ShedProgram(object: "syscalls", configKey: "enable_syscall_monitoring", sinceMilliseconds: 1, reason: "test")],
                sheddingOrder: ["syscalls", "cpu_metrics"]
            )
        )
    }
}
