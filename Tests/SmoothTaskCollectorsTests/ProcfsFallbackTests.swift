import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// Without loaded programs (as after a failed initialize) the collector still reports CPU and
/// memory from /proc and says why the syscall figures are missing.
final class ProcfsFallbackTests: XCTestCase {
    /// Issue 16, defect 5: the /proc/stat baseline is taken when the collector is made, so the first
    /// collection (the daemon takes it one interval after start) already has a CPU figure.
    func testUninitializedCollectorFallsBackToProcfs() async throws {
        let collector = EbpfMetricsCollector(logger: TestSupport.logger)
        TestSupport.sleep(seconds: 0.3)
        let first = await collector.collectMetrics()
        XCTAssertEqual(first.sources[EbpfMetrics.Name.cpu], .procfs)
        XCTAssertNotNil(first.cpuUsage, "\(first.unavailable)")
        XCTAssertNil(first.unavailable[EbpfMetrics.Name.cpu])
        XCTAssertGreaterThanOrEqual(first.windowMilliseconds, 300)
        TestSupport.sleep(seconds: 0.3)
        let second = await collector.collectMetrics()

        XCTAssertEqual(second.sources[EbpfMetrics.Name.cpu], .procfs)
        let usage = try XCTUnwrap(second.cpuUsage)
        XCTAssertTrue((0...100).contains(usage))
        XCTAssertNotNil(second.cpuPerCore)
        XCTAssertNil(second.topProcesses)
        XCTAssertNotNil(second.unavailable["top_processes"])
        XCTAssertNil(second.syscallCount)
        XCTAssertEqual(second.sources[EbpfMetrics.Name.syscalls], .unavailable)
        XCTAssertNotNil(second.unavailable[EbpfMetrics.Name.syscalls])
        XCTAssertEqual(second.sources[EbpfMetrics.Name.memory], .procfs)
        let meminfo = try ProcMeminfo.read()
        XCTAssertEqual(second.memoryTotal, meminfo.totalBytes)
        XCTAssertGreaterThanOrEqual(second.windowMilliseconds, 300)
        let statuses = await collector.programStatuses()
        XCTAssertEqual(
            statuses.map(\.name),
            [
                "process_lifecycle", "cpu_metrics", "syscalls", "memory_events", "sched_latency", "disk_metrics",
                "network_metrics", "cgroup_cpu",
            ]
        )
        XCTAssertNil(second.syscalls)
        XCTAssertNotNil(second.unavailable[EbpfMetrics.Name.syscallDetails])
        XCTAssertNil(second.memory?.events)
        XCTAssertNotNil(second.memory?.unavailable["events"])
        XCTAssertTrue(statuses.allSatisfy { !$0.attached && $0.detail != nil })
        // Every eBPF-only area switched on (all of them by default) says why it has nothing, not only
        // the syscalls.
        for name in [EbpfMetrics.Name.syscalls, EbpfMetrics.Name.schedLatency, EbpfMetrics.Name.disk, EbpfMetrics.Name.network] {
            XCTAssertEqual(second.sources[name], .unavailable, name)
            XCTAssertEqual(second.unavailable[name], "the collector is not initialized", name)
        }
    }

    /// Issue 16, defect 5: serving without eBPF, every program and every eBPF-only figure gives the
    /// real reason, switches stay what the configuration says, and a switched-off area says so.
    func testCollectorServingWithoutEbpfGivesTheRealReason() async throws {
        let collector = EbpfMetricsCollector(logger: TestSupport.logger)
        var config = EbpfConfig.defaults
        config.enableSyscallMonitoring = false
        let reason = "bpf(BPF_PROG_LOAD): Operation not permitted (this process lacks CAP_BPF and CAP_PERFMON)"
        await collector.serveWithoutEbpf(config: config, reason: reason)
        TestSupport.sleep(seconds: 0.3)
        let metrics = await collector.collectMetrics()
        XCTAssertNotNil(metrics.cpuUsage, "\(metrics.unavailable)")
        XCTAssertEqual(metrics.unavailable["top_processes"], "needs the eBPF cpu_metrics program: eBPF unavailable: \(reason)")
        XCTAssertEqual(metrics.memory?.unavailable["events"], "eBPF unavailable: \(reason)")
        XCTAssertEqual(metrics.unavailable[EbpfMetrics.Name.disk], "eBPF unavailable: \(reason)")
        XCTAssertEqual(metrics.sources[EbpfMetrics.Name.syscalls], .disabled)
        XCTAssertEqual(metrics.unavailable[EbpfMetrics.Name.syscalls], MetricSwitch.syscalls.disabledReason)
        for status in await collector.programStatuses() {
            XCTAssertEqual(status.detail, "not loaded: eBPF unavailable: \(reason)", status.name)
        }
    }

    func testProcStatTotalIsTheSumOfItsCPUs() throws {
        let stat = try ProcStat.read()
        XCTAssertFalse(stat.perCPU.isEmpty)
        let summedBusy = stat.perCPU.values.reduce(0) { $0 + $1.busy }
        // The kernel sums the per-CPU lines into the cpu line when printing; a tick may land between.
        XCTAssertEqual(Double(stat.total.busy), Double(summedBusy), accuracy: Double(stat.perCPU.count) * 2)
    }

    /// Issue 18: in the /proc fallback `top` was empty although /proc has every process's CPU time.
    /// A busy child's window CPU must lie between what /proc said of it just before the first
    /// collection and just after the second (USER_HZ ticks), and the answer says it came from procfs.
    func testProcessesTopComesFromProcInTheFallback() async throws {
        let collector = EbpfMetricsCollector(logger: TestSupport.logger)
        let spinner = try ChildProcess("while :; do :; done")
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        func ticks() throws -> UInt64 {
            let stat = try XCTUnwrap(ProcPIDStat.read(pid: spinner.pid), "the spinner is gone")
            return stat.userTicks + stat.systemTicks
        }
        TestSupport.sleep(seconds: 0.2)
        let before = try ticks()
        _ = await collector.collectMetrics()
        let afterFirst = try ticks()
        // Started between the two collections: everything it ran belongs to the second window.
        let late = try ChildProcess("while :; do :; done")
        TestSupport.sleep(seconds: 1)
        let beforeSecond = try ticks()
        let metrics = await collector.collectMetrics()
        let after = try ticks()

        let top = await collector.topProcesses(ProcessTopQuery(limit: ProcessTopQuery.maximumLimit))
        XCTAssertEqual(top.source, .procfs)
        XCTAssertNil(top.unavailable[ProcessTopSort.cpu.rawValue], "\(top.unavailable)")
        XCTAssertNotNil(top.unavailable[ProcessTopSort.syscalls.rawValue], "syscalls need eBPF: the reason is kept")
        let mine = await collector.topProcesses(ProcessTopQuery(pid: spinner.pid))
        let row = try XCTUnwrap(mine.processes.first, "the spinner is not listed: \(top.processes.map(\.pid))")
        let cpuNanoseconds = try XCTUnwrap(row.cpuTimeNanoseconds)
        let lowest = Double(beforeSecond - afterFirst) / ticksPerSecond * 1e9
        let highest = Double(after - before) / ticksPerSecond * 1e9
        print("fallback top: spinner \(cpuNanoseconds) ns CPU (\(row.cpuPercent ?? -1)% of one CPU) in a \(metrics.windowMilliseconds) ms window; /proc bracket \(lowest)...\(highest) ns")
        XCTAssertGreaterThanOrEqual(Double(cpuNanoseconds), lowest)
        XCTAssertLessThanOrEqual(Double(cpuNanoseconds), highest)
        XCTAssertEqual(row.comm, "sh")
        XCTAssertNil(row.syscalls)
        XCTAssertEqual(row.totals?.since, .processStart, "utime + stime count from the process's start")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(row.totals?.cpuTimeNanoseconds), cpuNanoseconds)
        let lateTop = await collector.topProcesses(ProcessTopQuery(pid: late.pid))
        let lateRow = try XCTUnwrap(lateTop.processes.first, "the late spinner is not listed")
        let lateStat = try XCTUnwrap(ProcPIDStat.read(pid: late.pid))
        let lateTicks = lateStat.userTicks + lateStat.systemTicks
        print("fallback top: late spinner \(lateRow.cpuTimeNanoseconds ?? 0) ns, /proc now \(Double(lateTicks) / ticksPerSecond * 1e9) ns")
        XCTAssertGreaterThan(try XCTUnwrap(lateRow.cpuTimeNanoseconds), 0, "a process new in the window counts from its start")
        XCTAssertLessThanOrEqual(Double(try XCTUnwrap(lateRow.cpuTimeNanoseconds)), Double(lateTicks) / ticksPerSecond * 1e9)
        let sorted = top.processes.compactMap(\.cpuTimeNanoseconds)
        XCTAssertEqual(sorted, sorted.sorted(by: >), "ordered by CPU")
    }

    /// The vmstat/pmstat basics against /proc read just before and just after the collection: the
    /// totals lie between the two readings, the rate is the difference of two collections' totals
    /// over the window, the split sums to 100, and every figure says it came from procfs.
    func testSystemActivityAgreesWithProc() async throws {
        let collector = EbpfMetricsCollector(logger: TestSupport.logger)
        let firstMetrics = await collector.collectMetrics()
        let first = try XCTUnwrap(firstMetrics.system)
        XCTAssertNil(first.cpuTime)
        XCTAssertEqual(first.unavailable[SystemActivity.Name.cpuTime], "first collection: no interval yet")
        TestSupport.sleep(seconds: 0.5)
        let statBefore = try ProcStatActivity.read()
        let loadBefore = try ProcLoadAverage.read()
        let metrics = await collector.collectMetrics()
        let statAfter = try ProcStatActivity.read()
        let loadAfter = try ProcLoadAverage.read()
        let system = try XCTUnwrap(metrics.system)
        print("system: \(system)")

        XCTAssertEqual(Set(system.sources.values), [.procfs], "\(system.sources)")
        XCTAssertEqual(system.sources.count, 6)
        XCTAssertTrue(system.unavailable.isEmpty, "\(system.unavailable)")
        for (figure, lower, upper) in [
            ("context switches", statBefore.contextSwitches, statAfter.contextSwitches),
            ("interrupts", statBefore.interrupts, statAfter.interrupts),
        ] {
            let value = try XCTUnwrap(figure == "interrupts" ? system.interrupts : system.contextSwitches)
            XCTAssertTrue(try XCTUnwrap(lower)...XCTUnwrap(upper) ~= value, "\(figure) \(value) outside /proc's \(lower!)...\(upper!)")
        }
        let switchesPerSecond = try XCTUnwrap(system.contextSwitchesPerSecond)
        let countedInWindow = Double(try XCTUnwrap(system.contextSwitches) - XCTUnwrap(first.contextSwitches))
        // The rate divides by the time between the reader's own reads of /proc/stat, which differs
        // from window_ms (between collection starts) by how long each collection took: a loose bound.
        let implied = switchesPerSecond * Double(metrics.windowMilliseconds) / 1000
        print("context switches: \(countedInWindow) counted, \(implied) implied by the rate over window_ms")
        XCTAssertEqual(implied, countedInWindow, accuracy: countedInWindow * 0.2 + 1)
        XCTAssertTrue([loadBefore, loadAfter].contains(try XCTUnwrap(system.loadAverage)), "load \(system.loadAverage!) vs /proc \(loadBefore) / \(loadAfter)")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(system.runnableTasks), 1, "the collecting thread itself was running")
        XCTAssertNotNil(system.blockedTasks)
        let split = try XCTUnwrap(system.cpuTime)
        XCTAssertEqual(split.states.map(\.percent).reduce(0, +), 100, accuracy: 0.001)
        // The split's busy part is the same /proc/stat ticks the fallback's cpu_usage comes from.
        let busy = 100 - split.idle - split.iowait
        XCTAssertEqual(busy, try XCTUnwrap(metrics.cpuUsage), accuracy: 5, "split busy vs cpu_usage, both from /proc/stat here")
    }
}
