import Foundation
import SmoothTaskModel
import XCTest

/// The params of `processes.exited` as the daemon decodes them; the CLI's `top --exited` sends them.
final class ExitedProcessesQueryTests: XCTestCase {
    private func decode(_ json: String) throws -> ExitedProcessesQuery {
        try JSONDecoder().decode(ExitedProcessesQuery.self, from: Data(json.utf8))
    }

    func testDefaultsAndFilters() throws {
        XCTAssertEqual(try decode("{}"), ExitedProcessesQuery(sort: .exitTime, limit: 20))
        XCTAssertEqual(
            try decode(#"{"sort":"net_received","limit":1000,"pid":7,"user":"0","comm":"make -j"}"#),
            ExitedProcessesQuery(sort: .netReceived, limit: 1000, pid: 7, user: "0", comm: "make -j")
        )
    }

    func testBadSortLimitOrKeyIsRefusedWithTheReason() {
        for (json, expected) in [
            (#"{"sort":"memory"}"#,
             "sort must be one of exit_time, lifetime, cpu, syscalls, faults, reclaim, disk_read, disk_write, net_sent, net_received (got memory)"),
            (#"{"limit":0}"#, "limit must be 1...1000 (got 0)"),
            (#"{"limit":1001}"#, "limit must be 1...1000 (got 1001)"),
            (#"{"include_exited":false}"#, "unknown key 'include_exited'; processes.exited takes: sort, limit, pid, user, comm"),
        ] {
            XCTAssertThrowsError(try decode(json), json) { error in
                guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(context.debugDescription, expected)
            }
        }
    }
}
