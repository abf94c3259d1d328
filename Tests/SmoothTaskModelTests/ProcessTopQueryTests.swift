import Foundation
import SmoothTaskModel
import XCTest

final class ProcessTopQueryTests: XCTestCase {
    private func decode(_ json: String) throws -> ProcessTopQuery {
        try JSONDecoder().decode(ProcessTopQuery.self, from: Data(json.utf8))
    }

    func testDefaultsAndFilters() throws {
        XCTAssertEqual(try decode("{}"), ProcessTopQuery())
        XCTAssertEqual(
            try decode(#"{"sort":"reclaim","limit":3,"pid":1,"user":"root","comm":"ssh"}"#),
            ProcessTopQuery(sort: .reclaim, limit: 3, pid: 1, user: "root", comm: "ssh")
        )
        XCTAssertEqual(try decode("{}").includeExited, true, "exited rows are listed unless asked not to")
        XCTAssertEqual(try decode("{}").total, false)
        XCTAssertEqual(
            try decode(#"{"sort":"syscalls","total":true,"include_exited":false}"#),
            ProcessTopQuery(sort: .syscalls, total: true, includeExited: false)
        )
    }

    func testBadSortLimitOrKeyIsRefusedWithTheReason() {
        for (json, expected) in [
            (#"{"sort":"memory"}"#, "sort must be one of cpu, syscalls, faults, reclaim (got memory)"),
            (#"{"limit":0}"#, "limit must be 1...1000 (got 0)"),
            (#"{"limit":1001}"#, "limit must be 1...1000 (got 1001)"),
            (#"{"pids":1}"#, "unknown key 'pids'; processes.top takes: sort, limit, pid, user, comm, total, from, to, include_exited"),
        ] {
            XCTAssertThrowsError(try decode(json), json) { error in
                guard case DecodingError.dataCorrupted(let context) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(context.debugDescription, expected)
            }
        }
    }
}
