import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// The run-queue latency, disk, network and cgroup CPU switches attach and detach at runtime, and a
/// missing tracepoint costs only what needs it.
final class AreaSwitchTests: XCTestCase {
    static let areas: [(switchName: String, metric: String, tracepoint: String)] = [
        ("enable_sched_latency", EbpfMetrics.Name.schedLatency, "sched_wakeup"),
        ("enable_disk_metrics", EbpfMetrics.Name.disk, "block_rq_issue"),
        ("enable_network_metrics", EbpfMetrics.Name.network, "net_dev_xmit"),
    ]

    func testEachSwitchDetachesAndReattachesItsProgramsOnly() async throws {
        var allOn = EbpfConfig.defaults
        allOn.enableSchedLatency = true
        let collector = try await TestSupport.initializedCollector(config: allOn)
        for area in Self.areas {
            XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: area.tracepoint), 1, area.switchName)
        }
        var off = allOn
        off.enableSchedLatency = false
        off.enableDiskMetrics = false
        off.enableNetworkMetrics = false
        off[.cgroups] = false
        await collector.apply(config: off)
        let statuses = await collector.programStatuses()
        let disabledCollection = await collector.collect()
        let disabled = disabledCollection.metrics
        for area in Self.areas {
            XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: area.tracepoint), 0, "\(area.switchName) left a link")
            XCTAssertEqual(disabled.sources[area.metric], .disabled)
            XCTAssertEqual(disabled.unavailable[area.metric], "disabled by \(area.switchName)=false")
            XCTAssertTrue(statuses.contains { $0.detail == "disabled by \(area.switchName)=false" && !$0.attached })
        }
        XCTAssertNil(disabled.schedLatency)
        XCTAssertNil(disabled.disk)
        XCTAssertNil(disabled.network)
        XCTAssertEqual(disabledCollection.cgroups.source, .disabled)
        XCTAssertEqual(disabledCollection.cgroups.unavailable, "disabled by enable_cgroup_metrics=false")
        XCTAssertNil(disabledCollection.cgroups.cgroups)
        XCTAssertTrue(statuses.contains { $0.name == "cgroup_cpu" && $0.detail == "disabled by enable_cgroup_metrics=false" })
        // The programs the test did not switch keep running: the one sched_switch program, for cpu_metrics alone.
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1, "cpu_metrics must stay attached")
        XCTAssertEqual(disabled.sources[EbpfMetrics.Name.cpu], .ebpf)

        await collector.apply(config: allOn)
        XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: "sched_switch"), 1, "one program for cpu_metrics, sched_latency and cgroup_cpu")
        TestSupport.sleep(seconds: 0.2)
        let enabledCollection = await collector.collect()
        let enabled = enabledCollection.metrics
        // cgroup_cpu took its baseline as it attached: the first window after the switch has rows.
        XCTAssertEqual(enabledCollection.cgroups.source, .ebpf, "\(enabledCollection.cgroups)")
        XCTAssertFalse(enabledCollection.cgroups.cgroups?.isEmpty ?? true, "\(enabledCollection.cgroups)")
        for area in Self.areas {
            XCTAssertEqual(try TestSupport.ownBPFLinks(toTracepoint: area.tracepoint), 1, area.switchName)
            XCTAssertEqual(enabled.sources[area.metric], .ebpf, "\(enabled.unavailable)")
        }
        XCTAssertNotNil(enabled.schedLatency)
        XCTAssertNotNil(enabled.disk)
        XCTAssertNotNil(enabled.network)
        let reattached = await collector.programStatuses()
        XCTAssertTrue(reattached.allSatisfy(\.attached), "\(reattached)")
        await collector.shutdown()
    }

    /// A kernel without an optional tracepoint loads the rest of the object; without a required one
    /// the group fails naming it. A tracepoint name no kernel has stands in for the missing one.
    func testMissingTracepointsAreLeftOutOrNamed() throws {
        try TestSupport.skipUnlessPermittedToLoadEbpf()
        let absent = "smoothtask_no_such_tracepoint"
        let object = EmbeddedBPFObject.scheduler
        let partial = try TracepointProgramGroup(
            name: object.name, elfBytes: object.elfBytes,
            hooks: [
                TracepointHook(program: "record_wakeup", tracepoint: absent, lossWhenMissing: "wakeups are not measured"),
                TracepointHook(program: "on_sched_switch", tracepoint: "sched_switch"),
            ],
            loader: ProgramLoader(logger: TestSupport.logger)
        )
        XCTAssertEqual(partial.missingHooks.map(\.tracepoint), [absent])
        try partial.attach()
        XCTAssertTrue(partial.isAttached)
        partial.detach()

        XCTAssertThrowsError(try TracepointProgramGroup(
            name: object.name, elfBytes: object.elfBytes,
            hooks: [TracepointHook(program: "record_wakeup", tracepoint: absent)], loader: ProgramLoader(logger: TestSupport.logger)
        )) { error in
            XCTAssertEqual(error as? BPFError, .tracepointMissing(name: absent))
        }
    }
}
