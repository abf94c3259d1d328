import XCTest
@testable import smoothtaskctl

final class LeadingConnectionOptionsTests: XCTestCase {
    private func moved(_ arguments: [String]) -> [String] {
        LeadingConnectionOptions.movedAfterSubcommand(arguments, root: SmoothTaskControl.self)
    }

    func testSharedOptionsBeforeTheSubcommandFollowItsPath() {
        XCTAssertEqual(moved(["--socket", "/tmp/s", "status"]), ["status", "--socket", "/tmp/s"])
        XCTAssertEqual(moved(["--json", "--socket=/tmp/s", "config", "get", "x"]), ["config", "get", "--json", "--socket=/tmp/s", "x"])
        XCTAssertEqual(moved(["--socket", "/tmp/s", "top", "--limit", "3"]), ["top", "--socket", "/tmp/s", "--limit", "3"])
    }

    func testEverythingElseIsLeftForTheParserToJudge() {
        for arguments in [["status", "--socket", "/tmp/s"], ["--version"], ["--socket", "/tmp/s", "nonsense"], ["--socket"], []] {
            XCTAssertEqual(moved(arguments), arguments)
        }
    }

    func testTheMovedArgumentsParse() throws {
        let parsed = try SmoothTaskControl.parseAsRoot(moved(["--socket", "/tmp/s", "--json", "status"]))
        let status = try XCTUnwrap(parsed as? SmoothTaskControl.Status)
        XCTAssertEqual(status.connection.socket, "/tmp/s")
        XCTAssertTrue(status.connection.json)
    }
}
