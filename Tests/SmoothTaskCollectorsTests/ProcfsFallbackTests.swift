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
        // Every eBPF-only area switched on says why it has nothing, not only the syscalls; run-queue
        // latency is off by default and says so.
        for name in [EbpfMetrics.Name.syscalls, EbpfMetrics.Name.disk, EbpfMetrics.Name.network] {
            XCTAssertEqual(second.sources[name], .unavailable, name)
            XCTAssertEqual(second.unavailable[name], "the collector is not initialized", name)
        }
        XCTAssertEqual(second.sources[EbpfMetrics.Name.schedLatency], .disabled)
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
}
