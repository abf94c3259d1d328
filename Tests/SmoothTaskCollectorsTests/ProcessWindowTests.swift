import XCTest
@testable import SmoothTaskCollectors

/// The run-queue program's per-process windows (``ProcessWindow``) and the one-pass selection of the
/// largest rows (``LargestSelection``) that replaced sorting every process: the same rows as a full
/// sort, and exited processes' entries still forgotten.
final class ProcessWindowTests: XCTestCase {
    /// Pids no process can have (above the largest pid_max), so they read as gone.
    private static let firstGonePID: UInt32 = 4_194_400

    private func waits(_ nanoseconds: UInt64, slot: Int = 3) -> Log2HistogramSlots {
        var histogram = Log2HistogramSlots()
        histogram.slots[slot] = nanoseconds / 1_000 + 1
        histogram.totalNanoseconds = nanoseconds
        return histogram
    }

    func testSelectionMatchesAFullSortOfManyRows() {
        var generator = SystemRandomNumberGenerator()
        let rows = (0..<10_000).map { pid in (pid: UInt32(pid), value: UInt64.random(in: 0..<500, using: &generator)) }
        var selection = LargestSelection<UInt64>(limit: 5)
        for row in rows { selection.offer(row.value, pid: row.pid) { row.value * 2 } }
        let sorted = rows.filter { $0.value > 0 }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.pid < $1.pid }
            .prefix(5)
        XCTAssertEqual(selection.rows.map(\.pid), sorted.map(\.pid))
        XCTAssertEqual(selection.rows.map(\.row), sorted.map { $0.value * 2 })
    }

    func testSelectionLeavesOutZeroAndKeepsFewerThanTheLimit() {
        var selection = LargestSelection<String>(limit: 5)
        selection.offer(0, pid: 1) { "idle" }
        selection.offer(7, pid: 9) { "b" }
        selection.offer(7, pid: 2) { "a" }
        XCTAssertEqual(selection.rows.map(\.row), ["a", "b"])
    }

    func testWindowRanksDeltasAndForgetsExitedEntries() {
        var window = ProcessWindow<Log2HistogramSlots>()
        let gone = (0..<UInt32(8)).map { Self.firstGonePID + $0 }
        var first: [UInt32: Log2HistogramSlots] = [:]
        for pid in gone { first[pid] = waits(1_000) }
        // Live, unchanged or growing: this process's own pid is alive.
        let live = UInt32(getpid())
        first[live] = waits(50_000)
        window.restart(at: first)

        var second = first
        second[live] = waits(90_000)  // 40 µs more
        second[Self.firstGonePID + 100] = waits(70_000)  // new in the window: all of it counts
        var forgotten: [UInt32] = []
        let largest = window.advance(to: second, largest: 5, by: \.totalNanoseconds) { forgotten.append($0) }
        XCTAssertEqual(largest.map(\.tgid), [Self.firstGonePID + 100, live])
        XCTAssertEqual(largest.map(\.delta.totalNanoseconds), [70_000, 40_000])

        XCTAssertEqual(Set(forgotten), Set(gone), "unchanged entries of exited processes, forgotten in the first window")
        // The new entry, unchanged in the next window, goes then; each entry is forgotten once.
        _ = window.advance(to: second.filter { !forgotten.contains($0.key) }, largest: 5, by: \.totalNanoseconds) {
            forgotten.append($0)
        }
        XCTAssertEqual(Set(forgotten), Set(gone + [Self.firstGonePID + 100]))
        XCTAssertEqual(forgotten.count, gone.count + 1)
        XCTAssertFalse(forgotten.contains(live))
    }
}
