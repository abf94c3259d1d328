import XCTest
@testable import smoothtaskctl

final class TopFilterTests: XCTestCase {
    func testPromptSyntax() {
        XCTAssertEqual(TopFilter(parsing: "user:alice"), TopFilter(field: .user, text: "alice"))
        XCTAssertEqual(TopFilter(parsing: " unit: ssh.service "), TopFilter(field: .cgroup, text: "ssh.service"))
        XCTAssertEqual(TopFilter(parsing: "comm:nginx"), TopFilter(field: .command, text: "nginx"))
        XCTAssertEqual(TopFilter(parsing: "make"), TopFilter(field: .command, text: "make"))
        XCTAssertNil(TopFilter(parsing: "   "))
        XCTAssertNil(TopFilter(parsing: "user:"))
    }

    func testCgroupFilterNeedsTheCgroupAndMatchesPartOfIt() {
        var row = TopRowFixtures.row(5, comm: "sshd")
        let filter = TopFilter(field: .cgroup, text: "SSH.service")
        XCTAssertFalse(filter.matches(row), "no cgroup read: no match")
        row.cgroup = "/system.slice/ssh.service"
        XCTAssertTrue(filter.matches(row))
        XCTAssertTrue(TopFilter(field: .user, text: "0").matches(row), "a uid matches too")
    }

    func testOwnCgroupAndParentAreReadFromProc() {
        let pid = getpid()
        XCTAssertEqual(ProcessLineage.parent(of: pid), getppid())
        XCTAssertNotNil(ProcessLineage.cgroup(of: pid), "cgroup v2 line of /proc/self/cgroup")
        XCTAssertNil(ProcessLineage.parent(of: Int32.max))
    }
}
