import SmoothTaskModel
import XCTest
@testable import smoothtaskctl

final class RateTrackerTests: XCTestCase {
    private func top(at timestamp: Int64, disk: UInt64, net: UInt64) -> ProcessTop {
        var activity = ProcessActivity(pid: 7)
        var totals = ProcessTotals(since: .processStart, sinceMilliseconds: 0)
        totals.diskReadBytes = disk
        totals.diskWriteBytes = 0
        totals.netSentBytes = net
        totals.netReceivedBytes = net
        activity.totals = totals
        return ProcessTop(sort: .cpu, windowMilliseconds: 500, timestamp: timestamp, matched: 1, processes: [activity], unavailable: [:])
    }

    func testRatesComeFromTheChangeBetweenCollections() {
        var tracker = RateTracker()
        var rows = top(at: 1_000, disk: 0, net: 0).processes.map(TopRow.init)
        tracker.fill(&rows, from: top(at: 1_000, disk: 0, net: 0))
        XCTAssertNil(rows[0].diskBytesPerSecond, "one collection: no rate yet")
        let second = top(at: 1_500, disk: 4_096, net: 100)
        rows = second.processes.map(TopRow.init)
        tracker.fill(&rows, from: second)
        XCTAssertEqual(rows[0].diskBytesPerSecond, 8_192)
        XCTAssertEqual(rows[0].netBytesPerSecond, 400)
        rows = second.processes.map(TopRow.init)
        tracker.fill(&rows, from: second)
        XCTAssertEqual(rows[0].diskBytesPerSecond, 8_192, "the same collection fetched again keeps its rate")
    }
}
