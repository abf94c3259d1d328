#if canImport(Glibc)
import Glibc
#endif
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// apply(config:) attaches and detaches programs without reloading.
final class RuntimeSwitchTests: XCTestCase {
    static let load = 200_000

    func testSyscallMonitoringOffDetachesAndOnReattaches() async throws {
        let collector = try await TestSupport.initializedCollector()
        // One program for the whole syscall, on its way out, and nothing on the way in.
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sys_exit"), 1)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sys_enter"), 0)
        let attachedCountReading = await collector.collectMetrics()
        let attachedCount = try XCTUnwrap(attachedCountReading.syscallCount)

        var off = EbpfConfig.defaults
        off.enableSyscallMonitoring = false
        await collector.apply(config: off)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sys_exit"), 0, "link still open after detach")
        let statusReading = await collector.programStatuses()
        let status = try XCTUnwrap(statusReading.first { $0.name == "syscalls" })
        XCTAssertFalse(status.attached)
        XCTAssertEqual(status.detail, "disabled by enable_syscall_monitoring=false")
        for _ in 0..<Self.load { _ = getppid() }
        let disabled = await collector.collectMetrics()
        XCTAssertNil(disabled.syscallCount)
        XCTAssertNil(disabled.syscallRate)
        XCTAssertEqual(disabled.sources[EbpfMetrics.Name.syscalls], .disabled)
        XCTAssertEqual(disabled.unavailable[EbpfMetrics.Name.syscalls], "disabled by enable_syscall_monitoring=false")
        XCTAssertNil(disabled.syscalls)
        XCTAssertEqual(disabled.unavailable[EbpfMetrics.Name.syscallDetails], "disabled by enable_syscall_monitoring=false")

        await collector.apply(config: .defaults)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sys_exit"), 1)
        let reattachedCountReading = await collector.collectMetrics()
        let reattachedCount = try XCTUnwrap(reattachedCountReading.syscallCount)
        // Counting stopped while detached: the 200k getppid above are (almost) all missing.
        XCTAssertLessThan(reattachedCount - attachedCount, UInt64(Self.load / 2))
        for _ in 0..<Self.load { _ = getppid() }
        let countingReading = await collector.collectMetrics()
        let counting = try XCTUnwrap(countingReading.syscallCount)
        XCTAssertGreaterThanOrEqual(counting - reattachedCount, UInt64(Self.load))
        print("detach check: \(reattachedCount - attachedCount) syscalls counted across the detached period, "
            + "\(counting - reattachedCount) after re-attach for \(Self.load) getppid")
        await collector.shutdown()
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sys_exit"), 0)
    }

    func testCPUMetricsOffDetachesAndOnReattaches() async throws {
        // cgroup_cpu and sched_latency, loaded by the same collector, also hook sched_switch: off
        // here, so the links counted are cpu_metrics' alone.
        var on = EbpfConfig.defaults
        on[.cgroups] = false
        on[.schedLatency] = false
        let collector = try await TestSupport.initializedCollector(config: on)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1)
        var off = on
        off.enableCPUMetrics = false
        off.enableMemoryMetrics = false
        await collector.apply(config: off)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 0)
        let disabled = await collector.collectMetrics()
        XCTAssertNil(disabled.cpuUsage)
        XCTAssertNil(disabled.topProcesses)
        XCTAssertEqual(disabled.sources[EbpfMetrics.Name.cpu], .disabled)
        XCTAssertEqual(disabled.unavailable[EbpfMetrics.Name.cpu], "disabled by enable_cpu_metrics=false")
        XCTAssertNil(disabled.memoryUsage)
        XCTAssertNil(disabled.memoryTotal)
        XCTAssertEqual(disabled.sources[EbpfMetrics.Name.memory], .disabled)

        await collector.apply(config: on)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1)
        TestSupport.sleep(seconds: 0.2)
        let enabled = await collector.collectMetrics()
        XCTAssertEqual(enabled.sources[EbpfMetrics.Name.cpu], .ebpf)
        let usage = try XCTUnwrap(enabled.cpuUsage)
        XCTAssertTrue((0...100).contains(usage))
        XCTAssertNotNil(enabled.memoryUsage)
        XCTAssertEqual(enabled.sources[EbpfMetrics.Name.memory], .procfs)
        await collector.shutdown()
    }

    func testMemoryMetricsOffDetachesEveryMemoryProgramAndOnReattaches() async throws {
        let hooks = ["page_fault_user", "mm_vmscan_direct_reclaim_begin", "mm_vmscan_memcg_reclaim_end", "mark_victim"]
        let collector = try await TestSupport.initializedCollector()
        for hook in hooks { XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: hook), 1, hook) }
        // One sched_process_exit program for every per-process map: process_lifecycle's.
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_process_exit"), 1)

        var off = EbpfConfig.defaults
        off.enableMemoryMetrics = false
        await collector.apply(config: off)
        for hook in hooks { XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: hook), 0, "\(hook) still attached") }
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_process_exit"), 1, "exits are recorded whatever is switched off")
        let statuses = await collector.programStatuses()
        let status = try XCTUnwrap(statuses.first { $0.name == "memory_events" })
        XCTAssertFalse(status.attached)
        XCTAssertEqual(status.detail, "disabled by enable_memory_metrics=false")
        let disabled = await collector.collectMetrics()
        XCTAssertNil(disabled.memory)
        XCTAssertEqual(disabled.unavailable[EbpfMetrics.Name.memoryDetails], "disabled by enable_memory_metrics=false")
        let top = await collector.topProcesses(ProcessTopQuery(sort: .faults))
        XCTAssertTrue(top.processes.allSatisfy { $0.userFaults == nil && $0.reclaimStalls == nil })
        XCTAssertEqual(top.unavailable["faults"], "disabled by enable_memory_metrics=false")

        await collector.apply(config: .defaults)
        for hook in hooks { XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: hook), 1, hook) }
        _ = await collector.collectMetrics()
        let enabled = await collector.collectMetrics()
        XCTAssertNotNil(enabled.memory?.events, "\(enabled.memory?.unavailable ?? [:])")
        await collector.shutdown()
        for hook in hooks + ["sched_process_exit"] { XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: hook), 0, hook) }
    }
}
