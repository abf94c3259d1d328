import SmoothTaskModel
import SmoothTaskProtocol
import XCTest
@testable import SmoothTaskDaemon

/// A process list with long command lines is cut to fit one reply frame, and says so.
final class ReplyFitTests: XCTestCase {
    private func top(rows: Int, commandBytes: Int) -> ProcessTop {
        let processes = (0..<rows).map { index in
            var row = ProcessActivity(pid: Int32(index + 1))
            row.comm = "worker"
            row.command = String(repeating: "x", count: commandBytes)
            return row
        }
        return ProcessTop(sort: .cpu, windowMilliseconds: 1000, timestamp: 0, matched: rows, processes: processes, unavailable: [:])
    }

    func testALongListIsCutToTheFrameAndNoted() throws {
        let fitted = ReplyFit.fitting(top(rows: 1000, commandBytes: 4096), rows: \.processes, notes: \.unavailable)
        let bytes = try RPCCoding.encoder.encode(fitted).count
        print("1000 rows with 4 KiB command lines: \(fitted.processes.count) kept, \(bytes) bytes")
        XCTAssertLessThanOrEqual(bytes, ReplyFit.budgetBytes)
        XCTAssertGreaterThan(fitted.processes.count, 150, "keeps as many as fit, not a handful")
        XCTAssertEqual(fitted.processes.first?.pid, 1, "keeps the first rows, in order")
        XCTAssertEqual(fitted.matched, 1000, "matched still counts every row")
        XCTAssertNotNil(fitted.unavailable[ReplyFit.noteKey])
    }

    func testAListThatFitsIsUntouched() {
        let small = top(rows: 20, commandBytes: 100)
        XCTAssertEqual(ReplyFit.fitting(small, rows: \.processes, notes: \.unavailable), small)
    }
}
