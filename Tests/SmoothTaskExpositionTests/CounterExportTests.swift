import SmoothTaskExposition
import SmoothTaskModel
import XCTest

/// The bounded, monotonic counter series (issue 15): top K plus `other`, series kept once listed,
/// histograms from the kernel's log2 slots.
final class CounterExportTests: XCTestCase {
    func testTopKeysGetSeriesAndTheRestCountInOther() {
        var selection = SeriesSelection()
        selection.advance(toTotals: ["read": 100, "write": 50, "close": 5, "open": 1], limit: 2)
        XCTAssertEqual(selection.series.map(\.key), ["read", "write"])
        XCTAssertEqual(selection.series.map(\.count), [100, 50])
        XCTAssertEqual(selection.other, 6)
    }

    func testAListedSeriesStaysAndOtherNeverGoesDown() {
        var selection = SeriesSelection()
        selection.advance(toTotals: ["read": 100, "write": 50, "getppid": 0], limit: 2)
        var otherBefore = selection.other
        // getppid overtakes both: it gets a series, read and write keep theirs, other does not drop.
        selection.advance(toTotals: ["read": 110, "write": 55, "getppid": 300_000], limit: 2)
        XCTAssertEqual(Set(selection.series.map(\.key)), ["read", "write", "getppid"])
        XCTAssertEqual(selection.series.first { $0.key == "getppid" }?.count, 300_000, "its whole count since first read")
        XCTAssertGreaterThanOrEqual(selection.other, otherBefore)
        otherBefore = selection.other
        // A key that disappears (its kernel entry evicted) keeps its series and its value.
        selection.advance(toTotals: ["getppid": 300_010], limit: 2)
        XCTAssertEqual(selection.series.first { $0.key == "read" }?.count, 110)
        XCTAssertEqual(selection.other, otherBefore)
    }

    func testARestartedKernelCounterCountsWholeRatherThanGoingBack() {
        var selection = SeriesSelection()
        selection.advance(toTotals: ["read": 100], limit: 1)
        selection.advance(toTotals: ["read": 30], limit: 1)
        XCTAssertEqual(selection.series.first?.count, 130)
    }

    func testListedSeriesAreCappedAndUnnamedKeysNeverGetOne() {
        var selection = SeriesSelection()
        for round in 0..<100 {
            selection.advance(adding: ["cg\(round)": UInt64(1000 + round), SeriesSelection.unnamedKey: 5_000], limit: 2)
        }
        XCTAssertEqual(selection.series.count, 2 * SeriesSelection.retainedSeriesFactor)
        XCTAssertFalse(selection.series.contains { $0.key.isEmpty })
        let listed = selection.series.reduce(0) { $0 + $1.count }
        let all = (0..<100).reduce(UInt64(0)) { $0 + UInt64(1000 + $1) } + 100 * 5_000
        XCTAssertEqual(listed + selection.other, all, "every increase is in exactly one series")
    }

    func testCgroupAndUnitCountersComeFromEachWindowsCPU() throws {
        var export = CounterExport(createdSeconds: 1)
        func report(_ rows: [(String, UInt64)]) -> CgroupsReport {
            CgroupsReport(
                by: .cgroup,
                cgroups: rows.map {
                    CgroupCPUUsage(cgroup: $0.0, id: nil, unit: SystemdUnit.name(of: $0.0), cpuPercent: 0, cpuTimeNanoseconds: $0.1,
                                   cpuTotalNanoseconds: 0)
                },
                timestamp: 0, windowMilliseconds: 1000, source: .ebpf, unavailable: nil
            )
        }
        export.advance(readings: CounterReadings(), cgroups: report([("/system.slice/a.service", 2_000_000_000), ("/x", 1)]), cgroupLimit: 1)
        export.advance(readings: CounterReadings(), cgroups: report([("/system.slice/a.service", 1_000_000_000)]), cgroupLimit: 1)
        XCTAssertEqual(export.cgroups.series.map(\.key), ["/system.slice/a.service"])
        XCTAssertEqual(export.cgroups.series.first?.count, 3_000_000_000)
        XCTAssertEqual(export.cgroups.other, 1)
        XCTAssertEqual(export.units.series.map(\.key), ["a.service"])
        XCTAssertEqual(export.units.other, 1, "a cgroup outside any unit counts in other")
    }

    func testKernelLog2SlotsBecomeCumulativeBucketsInSeconds() {
        var slots = [UInt64](repeating: 0, count: LatencyHistogram.slotCount)
        slots[0] = 1  // 0-1 ns: below the first exported bucket, counted in it
        slots[10] = 2  // [1024, 2048) ns
        slots[20] = 3
        slots[LatencyHistogram.slotCount - 1] = 4  // open-ended: only in +Inf
        let exported = LatencyHistogram(slotCounts: slots, sumNanoseconds: 5_000_000_000).exposition
        XCTAssertEqual(exported.upperBounds.first, 1.024e-6)
        XCTAssertEqual(exported.upperBounds.count, LatencyHistogram.slotCount - 1 - LatencyHistogram.firstExportedSlot)
        XCTAssertEqual(exported.cumulativeCounts, exported.cumulativeCounts.sorted())
        XCTAssertEqual(exported.cumulativeCounts.first, 1)
        XCTAssertEqual(exported.cumulativeCounts[1], 3, "le=2.048e-06 holds slots 0 to 10")
        XCTAssertEqual(exported.cumulativeCounts.last, 6)
        XCTAssertEqual(exported.count, 10)
        XCTAssertEqual(exported.sum, 5)
    }

    func testOpenMetricsWritesCreatedForCountersAndHistogramsOnly() {
        let families = [
            MetricFamily(name: "t_calls", help: "Calls.", type: .counter, samples: [MetricSample(3, labels: [MetricLabel("k", "v")])], created: 1.5),
            MetricFamily(name: "t_level", help: "Level.", type: .gauge, samples: [MetricSample(1)], created: 1.5),
        ]
        let openMetrics = ExpositionEncoder.encode(families, as: .openMetrics)
        XCTAssertTrue(openMetrics.contains("t_calls_total{k=\"v\"} 3.0\nt_calls_created{k=\"v\"} 1.5\n"), openMetrics)
        XCTAssertFalse(openMetrics.contains("t_level_created"))
        XCTAssertFalse(ExpositionEncoder.encode(families, as: .prometheus).contains("_created"))
    }
}
