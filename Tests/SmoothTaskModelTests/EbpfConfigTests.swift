import Foundation
import SmoothTaskModel
import XCTest

final class EbpfConfigTests: XCTestCase {
    func testWireNamesAreTheContractsSnakeCase() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(EbpfConfig.defaults)) as? [String: Any]
        XCTAssertEqual(
            Set(json?.keys ?? [:].keys),
            [
                "enable_cpu_metrics", "enable_memory_metrics", "enable_syscall_monitoring", "collection_interval_ms",
                "enable_sched_latency", "enable_disk_metrics", "enable_network_metrics",
                "enable_cgroup_metrics", "prometheus_listen", "prometheus_cgroup_limit",
                "enable_history", "history_max_bytes", "history_max_age_s", "max_overhead_percent",
            ]
        )
        XCTAssertEqual(Set(EbpfConfigPatch.keyNames), Set(json?.keys ?? [:].keys), "every key is settable")
    }

    func testHistoryKeysHaveRangesAndOlderFilesTakeTheDefaults() throws {
        let old = #"{"collection_interval_ms": 1000, "prometheus_cgroup_limit": 10}"#
        let decoded = try JSONDecoder().decode(EbpfConfig.self, from: Data(old.utf8))
        XCTAssertTrue(decoded.enableHistory)
        XCTAssertEqual(decoded.historyMaxBytes, 256 << 20)
        XCTAssertEqual(decoded.historyMaxAgeSeconds, 7 * 86_400)
        XCTAssertThrowsError(try EbpfConfig.defaults.applying(EbpfConfigPatch(historyMaxBytes: 1000)))
        XCTAssertThrowsError(try EbpfConfig.defaults.applying(EbpfConfigPatch(historyMaxAgeSeconds: 1)))
        XCTAssertEqual(try EbpfConfig.defaults.applying(EbpfConfigPatch(enableHistory: false, historyMaxBytes: 1 << 20)).historyMaxBytes, 1 << 20)
    }

    func testOverheadBudgetDefaultsToOnePercentTakesFractionsAndRefusesOutOfRange() throws {
        let old = #"{"collection_interval_ms": 1000, "prometheus_cgroup_limit": 10}"#
        XCTAssertEqual(try JSONDecoder().decode(EbpfConfig.self, from: Data(old.utf8)).maxOverheadPercent, 1)
        XCTAssertEqual(EbpfConfig.defaults.maxOverheadPercent, 1)
        let patch = try JSONDecoder().decode(EbpfConfigPatch.self, from: Data(#"{"max_overhead_percent": 0.5}"#.utf8))
        XCTAssertEqual(try EbpfConfig.defaults.applying(patch).maxOverheadPercent, 0.5)
        XCTAssertEqual(try EbpfConfig.defaults.applying(EbpfConfigPatch(maxOverheadPercent: 0)).maxOverheadPercent, 0, "0 = no limit")
        for bad in [-0.1, 100.5, .infinity] {
            XCTAssertThrowsError(try EbpfConfig.defaults.applying(EbpfConfigPatch(maxOverheadPercent: bad))) { error in
                XCTAssertEqual((error as? ConfigValidationError)?.field, "max_overhead_percent")
            }
        }
    }

    func testAreaSwitchesPatchAndDecode() throws {
        let patch = try JSONDecoder().decode(
            EbpfConfigPatch.self,
            from: Data(#"{"enable_sched_latency": false, "enable_disk_metrics": false, "enable_network_metrics": false}"#.utf8)
        )
        let changed = try EbpfConfig.defaults.applying(patch)
        XCTAssertFalse(changed.enableSchedLatency)
        XCTAssertFalse(changed.enableDiskMetrics)
        XCTAssertFalse(changed.enableNetworkMetrics)
        XCTAssertEqual(changed.enableCPUMetrics, EbpfConfig.defaults.enableCPUMetrics)
        XCTAssertThrowsError(try JSONDecoder().decode(EbpfConfigPatch.self, from: Data(#"{"enable_disk_metrics": 1}"#.utf8)))
    }

    func testIntervalBoundsAreInclusive() throws {
        for good in [10, 1000, 3_600_000] {
            XCTAssertNoThrow(try EbpfConfig.defaults.applying(EbpfConfigPatch(collectionIntervalMilliseconds: good)))
        }
        for bad in [-5, 0, 9, 3_600_001, Int.max] {
            XCTAssertThrowsError(try EbpfConfig.defaults.applying(EbpfConfigPatch(collectionIntervalMilliseconds: bad))) {
                XCTAssertEqual(($0 as? ConfigValidationError)?.field, "collection_interval_ms")
            }
        }
    }

    func testPatchChangesOnlyTheFieldsItSets() throws {
        let changed = try EbpfConfig.defaults.applying(EbpfConfigPatch(enableSyscallMonitoring: false))
        var expected = EbpfConfig.defaults
        expected.enableSyscallMonitoring = false
        XCTAssertEqual(changed, expected)
    }

    func testPatchRejectsUnknownKeysNamingThem() {
        let typo = Data(#"{"enable_cpu_metric": true}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(EbpfConfigPatch.self, from: typo)) { error in
            XCTAssertTrue("\(error)".contains("enable_cpu_metric"), "\(error)")
        }
    }

    func testMissingMetricsAreExplicitNulls() throws {
        let metrics = EbpfMetrics(timestamp: 1, windowMilliseconds: 1000, unavailable: ["syscall_count": "disabled"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(metrics)) as? [String: Any])
        XCTAssertTrue(json["syscall_count"] is NSNull)
        XCTAssertTrue(json["cpu_usage"] is NSNull)
        for area in ["sched_latency", "disk", "network"] { XCTAssertTrue(json[area] is NSNull, area) }
    }
}

final class ParamsUnknownKeyTests: XCTestCase {
    func testEveryParamsTypeNamesTheUnknownKeyAndWhatItTakes() {
        let cases: [(String, (Data) throws -> Void, String)] = [
            ("config.set", { _ = try JSONDecoder().decode(EbpfConfigPatch.self, from: $0) }, "settable keys"),
            ("processes.top", { _ = try JSONDecoder().decode(ProcessTopQuery.self, from: $0) }, "processes.top takes"),
            ("cgroups.top", { _ = try JSONDecoder().decode(CgroupsTopParams.self, from: $0) }, "cgroups.top takes"),
        ]
        for (method, decode, listing) in cases {
            XCTAssertThrowsError(try decode(Data(#"{"limt": 3}"#.utf8)), method) { error in
                XCTAssertTrue("\(error)".contains("unknown key 'limt'; \(listing)"), "\(method): \(error)")
            }
        }
        XCTAssertEqual(try JSONDecoder().decode(CgroupsTopParams.self, from: Data(#"{"limit": 3, "by": "unit"}"#.utf8)),
                       CgroupsTopParams(limit: 3, by: .unit))
    }
}
