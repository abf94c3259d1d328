import Foundation
import SmoothTaskModel
import XCTest

/// The wire form of the vmstat/pmstat basics (`EbpfMetrics.system`).
final class SystemActivityTests: XCTestCase {
    func testMissingFiguresAreExplicitNullsBesideTheirReasonAndTheReportRoundTrips() throws {
        var activity = SystemActivity(
            sources: [SystemActivity.Name.loadAverage: .procfs, SystemActivity.Name.cpuTime: .procfs],
            unavailable: [SystemActivity.Name.cpuTime: "first collection: no interval yet"]
        )
        activity.loadAverage = LoadAverage(oneMinute: 0.5, fiveMinutes: 0.25, fifteenMinutes: 0.125)
        activity.runnableTasks = 3
        let data = try JSONEncoder().encode(activity)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertTrue(json["cpu_time"] is NSNull)
        XCTAssertTrue(json["context_switches_per_s"] is NSNull)
        XCTAssertEqual((json["load_average"] as? [String: Double])?["avg5"], 0.25)
        XCTAssertEqual(json["runnable_tasks"] as? Int, 3)
        XCTAssertEqual((json["sources"] as? [String: String])?["cpu_time"], "procfs")
        XCTAssertEqual(try JSONDecoder().decode(SystemActivity.self, from: data), activity)
    }

    func testMetricsCarrySystemOnlyWhenKnownAndItRidesInTheCPUGroup() throws {
        var metrics = EbpfMetrics(timestamp: 1, windowMilliseconds: 1000)
        let without = try XCTUnwrap(JSONSerialization.jsonObject(with: try JSONEncoder().encode(metrics)) as? [String: Any])
        XCTAssertNil(without["system"], "older daemons and what they recorded have no system figures: absent, not null")
        metrics.system = SystemActivity()
        let with = try XCTUnwrap(JSONSerialization.jsonObject(with: try JSONEncoder().encode(metrics)) as? [String: Any])
        XCTAssertNotNil(with["system"] as? [String: Any])
        XCTAssertTrue(MetricGroup.cpu.metricKeys.contains("system"))
    }

    func testCPUTimeSplitListsEveryStateInVmstatOrder() {
        let split = CPUTimeSplit(user: 1, nice: 2, system: 3, iowait: 4, irq: 5, softirq: 6, steal: 7, idle: 72)
        XCTAssertEqual(split.states.map(\.name), ["user", "nice", "system", "iowait", "irq", "softirq", "steal", "idle"])
        XCTAssertEqual(split.states.map(\.percent).reduce(0, +), 100)
    }
}
