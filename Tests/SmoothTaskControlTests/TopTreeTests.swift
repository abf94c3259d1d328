import XCTest
@testable import smoothtaskctl

final class TopTreeTests: XCTestCase {
    func testChildrenFollowTheirParentInTheChosenOrder() {
        let arranged = TopTree.arrange(TopRowFixtures.three, by: .cpu)
        XCTAssertEqual(arranged.map(\.pid), [10, 30, 20], "10's children by cpu: 30 (30%) before 20 (10%)")
        XCTAssertEqual(arranged.map(\.depth), [0, 1, 1])
        let bySyscalls = TopTree.arrange(TopRowFixtures.three, by: .syscalls)
        XCTAssertEqual(bySyscalls.map(\.pid), [10, 30, 20])
    }

    func testACycleOrAMissingParentLosesNoRow() {
        let cycle = [
            TopRowFixtures.row(1, comm: "a", parent: 2), TopRowFixtures.row(2, comm: "b", parent: 1),
            TopRowFixtures.row(3, comm: "c", parent: 99), TopRowFixtures.row(4, comm: "d", parent: 4),
        ]
        let arranged = TopTree.arrange(cycle, by: .pid)
        XCTAssertEqual(Set(arranged.map(\.pid)), [1, 2, 3, 4])
        XCTAssertEqual(arranged.count, 4)
    }
}
