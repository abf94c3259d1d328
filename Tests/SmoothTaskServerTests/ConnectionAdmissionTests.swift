@testable import SmoothTaskServer
import XCTest

/// The admission rules and the input budget, without sockets.
final class ConnectionAdmissionTests: XCTestCase {
    func testOrdinaryUsersShareAllButTheReserveAndEachHasACap() {
        let admission = ConnectionAdmission(limits: ServerLimits(maxConnections: 8, maxConnectionsPerUser: 3, reservedPrivilegedConnections: 2))
        let outsider: () -> Bool = { false }
        XCTAssertEqual((0..<3).map { _ in admission.admit(uid: 1000, isPrivileged: outsider) }, [nil, nil, nil])
        XCTAssertEqual(admission.admit(uid: 1000, isPrivileged: outsider), .userFull(uid: 1000, limit: 3))
        XCTAssertEqual((0..<3).map { _ in admission.admit(uid: 1001, isPrivileged: outsider) }, [nil, nil, nil])
        // Six of eight taken: the last two are the reserve.
        XCTAssertEqual(admission.admit(uid: 1002, isPrivileged: outsider), .serverFull(limit: 8))
        XCTAssertNil(admission.admit(uid: 1002, isPrivileged: { true }), "the admin group takes a reserved slot")
        XCTAssertNil(admission.admit(uid: 0, isPrivileged: { XCTFail("root needs no lookup"); return false }))
        XCTAssertEqual(admission.admit(uid: 0, isPrivileged: { true }), .serverFull(limit: 8))
        admission.release(uid: 1000)
        XCTAssertEqual(
            admission.admit(uid: 1000, isPrivileged: outsider), .serverFull(limit: 8),
            "seven open: the shared six are still in use while the reserve is"
        )
        admission.release(uid: 1001)
        admission.release(uid: 1001)
        XCTAssertNil(admission.admit(uid: 1000, isPrivileged: outsider), "released slots are free again")
        XCTAssertEqual(admission.open, 6)
    }

    func testTheGroupDatabaseIsReadOnlyWhenTheAnswerDependsOnIt() {
        let admission = ConnectionAdmission(limits: ServerLimits(maxConnections: 100, maxConnectionsPerUser: 10))
        for _ in 0..<10 {
            XCTAssertNil(admission.admit(uid: 1000, isPrivileged: { XCTFail("looked up while slots were free"); return false }))
        }
    }

    func testInputBudgetIsSharedAndCappedPerUserButNotForRoot() {
        let budget = InputBudget(totalBytes: 100, perUserBytes: 40)
        XCTAssertTrue(budget.reserve(40, uid: 1000))
        XCTAssertFalse(budget.reserve(1, uid: 1000), "over the user's share")
        XCTAssertTrue(budget.reserve(40, uid: 1001))
        XCTAssertTrue(budget.reserve(20, uid: 0), "root has no share of its own")
        XCTAssertFalse(budget.reserve(1, uid: 0), "but the total holds for root too")
        budget.release(40, uid: 1000)
        XCTAssertTrue(budget.reserve(40, uid: 1000))
        XCTAssertEqual(budget.charged, 100)
    }

    func testAConnectionGivesBackWhatItHeldWhenItCloses() {
        let shared = InputBudget(totalBytes: 1 << 20, perUserBytes: 1 << 20)
        let connection = ConnectionBudget(shared: shared, uid: 1000)
        XCTAssertTrue(connection.reserve(frameBytes: 100_000))
        XCTAssertTrue(connection.reserve(frameBytes: 200_000))
        connection.answered(frameBytes: 100_000)
        XCTAssertEqual(shared.charged, 200_000)
        connection.answered(frameBytes: 10)
        XCTAssertEqual(shared.charged, 200_000, "small frames were never charged")
        connection.releaseAll()
        XCTAssertEqual(shared.charged, 0)
    }
}
