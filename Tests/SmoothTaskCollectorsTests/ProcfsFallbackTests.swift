import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// Without loaded programs (as after a failed initialize) the collector still reports CPU and
/// memory from /proc and says why the syscall figures are missing.
final class ProcfsFallbackTests: XCTestCase {
    func testUninitializedCollectorFallsBackToProcfs() async throws {
        let collector = EbpfMetricsCollector(logger: TestSupport.logger)
        let first = await collector.collectMetrics()
        XCTAssertNil(first.cpuUsage)
        XCTAssertEqual(first.unavailable[EbpfMetrics.Name.cpu], "first collection: no interval yet")
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
            ["process_lifecycle", "cpu_metrics", "syscalls", "memory_events", "sched_latency", "disk_metrics", "network_metrics"]
        )
        XCTAssertNil(second.syscalls)
        XCTAssertNotNil(second.unavailable[EbpfMetrics.Name.syscallDetails])
        XCTAssertNil(second.memory?.events)
        XCTAssertNotNil(second.memory?.unavailable["events"])
        XCTAssertTrue(statuses.allSatisfy { !$0.attached && $0.detail != nil })
    }

    func testProcStatTotalIsTheSumOfItsCPUs() throws {
        let stat = try ProcStat.read()
        XCTAssertFalse(stat.perCPU.isEmpty)
        let summedBusy = stat.perCPU.values.reduce(0) { $0 + $1.busy }
        // The kernel sums the per-CPU lines into the cpu line when printing; a tick may land between.
        XCTAssertEqual(Double(stat.total.busy), Double(summedBusy), accuracy: Double(stat.perCPU.count) * 2)
    }
}
