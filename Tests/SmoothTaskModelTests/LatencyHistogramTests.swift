import Foundation
import SmoothTaskModel
import XCTest

final class LatencyHistogramTests: XCTestCase {
    /// Builds the histogram of `values` the way the kernel programs do.
    private func histogram(of values: [UInt64], max: UInt64? = nil) -> LatencyHistogram {
        var counts = [UInt64](repeating: 0, count: LatencyHistogram.slotCount)
        for value in values { counts[LatencyHistogram.slot(forNanoseconds: value)] += 1 }
        return LatencyHistogram(slotCounts: counts, sumNanoseconds: values.reduce(0, +), maxNanoseconds: max)
    }

    func testSlotsAreLog2AsInTheKernel() {
        XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: 0), 0)
        XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: 1), 0)
        XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: 2), 1)
        XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: 1023), 9)
        XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: 1024), 10)
        XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: UInt64.max), LatencyHistogram.slotCount - 1)
        for slot in 1..<(LatencyHistogram.slotCount - 1) {
            let lower = LatencyHistogram.lowerBound(ofSlot: slot)
            XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: lower), slot)
            XCTAssertEqual(LatencyHistogram.slot(forNanoseconds: LatencyHistogram.upperBound(ofSlot: slot)! - 1), slot)
        }
    }

    func testPercentilesInterpolateInsideTheirSlot() {
        // 100 values in [1024, 2048): the median is half-way through the slot.
        let flat = histogram(of: [UInt64](repeating: 1500, count: 100))
        XCTAssertEqual(flat.percentile(0.5), 1536)
        XCTAssertEqual(flat.percentile(1.0), 2048)
        XCTAssertEqual(flat.count, 100)
        XCTAssertEqual(flat.meanNanoseconds, 1500)
        // An exact maximum caps the estimate.
        XCTAssertEqual(histogram(of: [1500, 1500], max: 1500).percentile(0.99), 1500)
        XCTAssertNil(LatencyHistogram.empty.percentile(0.5))
        XCTAssertNil(LatencyHistogram.empty.meanNanoseconds)
    }

    /// Against the exact percentiles of a known sample: never off by more than the slot's factor of 2.
    func testPercentilesAreWithinOneSlotOfTheExactOnes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            // Log-uniform from 100 ns to 100 ms, like run-queue waits.
            let values = (0..<5000).map { _ in UInt64(exp(Double.random(in: log(100)...log(1e8), using: &generator))) }
            let sorted = values.sorted()
            let estimated = histogram(of: values, max: sorted.last)
            for fraction in [0.5, 0.95, 0.99] {
                let exact = Double(sorted[Int((fraction * Double(sorted.count)).rounded(.up)) - 1])
                let estimate = Double(estimated.percentile(fraction)!)
                XCTAssertLessThanOrEqual(max(estimate / exact, exact / estimate), 2, "p\(Int(fraction * 100)): \(estimate) vs \(exact)")
            }
        }
    }

    func testWireFormCarriesBucketsAndPercentilesAndRoundTrips() throws {
        let original = histogram(of: [3, 1500, 1600, 70_000], max: 70_000)
        let data = try JSONEncoder().encode(original)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["count"] as? Int, 4)
        XCTAssertEqual(json["max_ns"] as? Int, 70_000)
        XCTAssertEqual(json["p50_ns"] as? Int, Int(original.percentile(0.5)!))
        let buckets = try XCTUnwrap(json["buckets"] as? [[String: Int]])
        XCTAssertEqual(buckets.map { $0["from_ns"] }, [2, 1024, 65536])
        XCTAssertEqual(buckets.map { $0["to_ns"] }, [4, 2048, 131_072])
        XCTAssertEqual(buckets.map { $0["count"] }, [1, 2, 1])
        XCTAssertEqual(try JSONDecoder().decode(LatencyHistogram.self, from: data), original)
    }

    func testSubtractingGivesTheWindow() {
        let before = histogram(of: [10, 2000])
        let after = histogram(of: [10, 2000, 2001, 5_000_000])
        XCTAssertEqual(after.subtracting(before), histogram(of: [2001, 5_000_000]))
    }

    /// Issue 18: a process's p99 read 33.6 ms above the system max of 24.0 ms, the estimate
    /// interpolated up its log2 slot. Its waits are among the system's, so the system max bounds it,
    /// on the daemon's side and after a client decodes the reply.
    func testProcessPercentilesNeverExceedTheSystemMaximum() throws {
        let systemMax: UInt64 = 24_000_000
        // Waits in the 16.8...33.6 ms slot: interpolation alone puts the p99 near 33.5 ms.
        let waits: [UInt64] = Array(repeating: 20_000_000, count: 50) + [systemMax]
        let process = ProcessSchedLatency(pid: 42, comm: "worker", histogram: histogram(of: waits))
        XCTAssertGreaterThan(try XCTUnwrap(process.histogram.percentile(0.99)), systemMax, "unbounded, the estimate overshoots")
        let metrics = SchedLatencyMetrics(histogram: histogram(of: waits + [1_000], max: systemMax), topProcesses: [process])
        XCTAssertEqual(metrics.topProcesses[0].histogram.percentile(0.99), systemMax)
        let data = try JSONEncoder().encode(metrics)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try XCTUnwrap(json["top_processes"] as? [[String: Any]])
        let wire = try XCTUnwrap(rows.first?["histogram"] as? [String: Any])
        XCTAssertEqual(wire["p99_ns"] as? Int, Int(systemMax))
        XCTAssertTrue(wire["max_ns"] is NSNull, "a process has no exact max of its own")
        let decoded = try JSONDecoder().decode(SchedLatencyMetrics.self, from: data)
        XCTAssertEqual(decoded.topProcesses[0].histogram.percentile(0.99), systemMax)
        XCTAssertEqual(decoded, metrics)
    }
}
