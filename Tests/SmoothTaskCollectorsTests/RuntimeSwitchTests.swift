#if canImport(Glibc)
import Glibc
#endif
import SmoothTaskBPF
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
        // cgroup_cpu and sched_latency share cpu_metrics' sched_switch program: off here, so it
        // detaches with cpu_metrics.
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

    /// CPU, cgroup and run-queue accounting are features of one sched_switch program: it stays
    /// attached while any is on and detaches when the last goes off; each feature's overhead row is
    /// its share of the program, and the shares add up to what the kernel counted for it.
    func testSchedulerFeaturesShareOneSwitchProgramDetachedWhenAllAreOff() async throws {
        let collector = try await TestSupport.initializedCollector(config: .defaults)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1, "one program for three features")
        let grant = try? BPFStatisticsGrant()
        defer { grant?.close() }
        for _ in 0..<1_000 { usleep(1) }

        var cgroupsOnly = EbpfConfig.defaults
        cgroupsOnly[.cpu] = false
        cgroupsOnly[.schedLatency] = false
        await collector.apply(config: cgroupsOnly)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1, "cgroup_cpu still needs it")
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_wakeup"), 0, "the wakeups go with sched_latency")
        _ = await collector.collect()
        for _ in 0..<1_000 { usleep(1) }
        let cgroupWindow = await collector.collect()
        XCTAssertEqual(cgroupWindow.cgroups.source, .ebpf, "\(cgroupWindow.cgroups)")
        XCTAssertFalse(cgroupWindow.cgroups.cgroups?.isEmpty ?? true, "cgroup_cpu counts without cpu_metrics")
        XCTAssertEqual(cgroupWindow.metrics.sources[EbpfMetrics.Name.cpu], .disabled)

        if grant != nil {
            let rows = await collector.programOverheads(kernelKeepsStatistics: true)
            let shares = rows.filter { $0.hook == "tp_btf/sched_switch" }
            XCTAssertEqual(Set(shares.map(\.name)), ["cpu_metrics/on_sched_switch", "cgroup_cpu/on_sched_switch", "sched_latency/on_sched_switch"])
            let program = try XCTUnwrap(TestSupport.ownProgramStatistics(linkedTo: "sched_switch").first)
            let sharedNanoseconds = shares.compactMap(\.runTimeNanoseconds).reduce(0, +)
            print("sched_switch program: \(program.runTimeNanoseconds) ns in \(program.runCount) runs; shares "
                + shares.map { "\($0.name) \($0.runTimeNanoseconds ?? 0) ns/\($0.runCount ?? 0) runs" }.joined(separator: ", "))
            // The shares split what the kernel counted (each rounded down, and runs after the reading
            // are not in them yet).
            XCTAssertLessThanOrEqual(sharedNanoseconds, program.runTimeNanoseconds)
            XCTAssertGreaterThan(Double(sharedNanoseconds), Double(program.runTimeNanoseconds) * 0.9)
            let cgroupRuns = try XCTUnwrap(shares.first { $0.name.hasPrefix("cgroup_cpu/") }?.runCount)
            let cpuRuns = try XCTUnwrap(shares.first { $0.name.hasPrefix("cpu_metrics/") }?.runCount)
            XCTAssertGreaterThan(cgroupRuns, cpuRuns, "cpu_metrics was off for the second thousand sleeps")
        }

        var allOff = cgroupsOnly
        allOff[.cgroups] = false
        await collector.apply(config: allOff)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 0, "every feature off: detached")
        await collector.apply(config: .defaults)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_wakeup"), 1)
        await collector.shutdown()
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 0)
    }

    /// Kernels before 5.18 get the object without its run-queue part (no prev_state argument, and
    /// before 5.11 no task storage): the accounting-only program, which loads and counts here too.
    func testTheSchedulerObjectLoadsWithoutItsRunQueuePartForOlderKernels() throws {
        try TestSupport.skipUnlessPermittedToLoadEbpf()
        let scheduler = try SchedulerObject(loader: ProgramLoader(logger: TestSupport.logger), runQueue: false)
        XCTAssertEqual(scheduler.switchProgram.programs.map(\.name), ["on_sched_switch_accounting"])
        XCTAssertTrue(scheduler.wakeupPrograms.isEmpty)
        try scheduler.switchOn(.cpu)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1)
        for _ in 0..<200 { usleep(1) }
        let slots = try scheduler.accounting.perCPUValues(at: UInt32(0), as: CPUSwitchAccounting.self)
        XCTAssertGreaterThan(slots.reduce(0) { $0 + $1.busy_ns + $1.idle_ns }, 0, "no switch accounted")
        scheduler.switchOff(.cpu)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 0)
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
