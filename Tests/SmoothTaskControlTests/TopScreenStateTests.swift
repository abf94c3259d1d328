import XCTest
@testable import smoothtaskctl

/// The full-screen `top`'s keys, applied to its state without a terminal.
final class TopScreenStateTests: XCTestCase {
    func testSortKeysChangeTheOrder() {
        var state = TopScreenState()
        XCTAssertEqual(state.arranged(TopRowFixtures.three).map(\.pid), [10, 30, 20], "cpu, largest first")
        _ = state.handle(.character("m"))
        XCTAssertEqual(state.sort, .memory)
        XCTAssertEqual(state.arranged(TopRowFixtures.three).map(\.pid), [20, 10, 30])
        _ = state.handle(.character("s"))
        XCTAssertEqual(state.arranged(TopRowFixtures.three).map(\.pid), [30, 20, 10])
        _ = state.handle(.character("p"))
        XCTAssertEqual(state.arranged(TopRowFixtures.three).map(\.pid), [10, 20, 30], "pid goes up")
        _ = state.handle(.character(">"))
        XCTAssertEqual(state.sort, .user)
        _ = state.handle(.character("<"))
        XCTAssertEqual(state.sort, .pid)
    }

    func testFilterPromptNarrowsRowsAndEscClearsIt() {
        var state = TopScreenState()
        _ = state.handle(.character("/"))
        XCTAssertEqual(state.prompt, "")
        for character in "user:alicx" { _ = state.handle(.character(character)) }
        _ = state.handle(.backspace)
        _ = state.handle(.character("e"))
        XCTAssertEqual(state.handle(.character("q")), .none, "q is typed into the prompt, it does not quit")
        _ = state.handle(.backspace)
        _ = state.handle(.enter)
        XCTAssertNil(state.prompt)
        XCTAssertEqual(state.filter, TopFilter(field: .user, text: "alice"))
        XCTAssertEqual(state.arranged(TopRowFixtures.three).map(\.pid), [20])
        _ = state.handle(.escape)
        XCTAssertNil(state.filter)
        XCTAssertEqual(state.arranged(TopRowFixtures.three).count, 3)

        _ = state.handle(.character("f"))
        for character in "GAM" { _ = state.handle(.character(character)) }
        _ = state.handle(.enter)
        XCTAssertEqual(state.arranged(TopRowFixtures.three).map(\.pid), [30], "plain text matches the command, any case")
    }

    func testQuitHelpPauseTreeAndHistoryKeys() {
        var state = TopScreenState()
        XCTAssertEqual(state.handle(.character("q")), .quit)
        XCTAssertEqual(state.handle(.interrupt), .quit)
        XCTAssertEqual(state.handle(.character("?")), .none)
        XCTAssertTrue(state.showingHelp)
        XCTAssertEqual(state.handle(.character("x")), .none)
        XCTAssertFalse(state.showingHelp, "any key leaves the help")
        _ = state.handle(.character(" "))
        XCTAssertTrue(state.paused)
        _ = state.handle(.character("t"))
        XCTAssertTrue(state.tree)
        XCTAssertEqual(state.handle(.left), .stepBack)
        XCTAssertEqual(state.handle(.right), .none, "live is already the newest")
        state.moment = .recorded(1_000)
        XCTAssertEqual(state.handle(.right), .stepForward)
        XCTAssertEqual(state.handle(.end), .goLive)
        _ = state.handle(.character("H"))
        XCTAssertFalse(state.threads, "recorded collections hold processes")
        XCTAssertEqual(state.message?.contains("threads"), true, state.message ?? "")
        state.moment = .live
        _ = state.handle(.character("H"))
        XCTAssertTrue(state.threads)
        XCTAssertEqual(state.handle(.left), .stepBack)
        XCTAssertFalse(state.threads, "stepping into history leaves the thread view")
    }

    func testWatchKeys() {
        var state = WatchScreenState()
        XCTAssertEqual(state.handle(.character("q")), .quit)
        _ = state.handle(.character(" "))
        XCTAssertTrue(state.paused)
        XCTAssertEqual(state.handle(.left), .stepBack)
        XCTAssertEqual(state.handle(.right), .none)
        state.moment = .recorded(5)
        XCTAssertEqual(state.handle(.right), .stepForward)
        XCTAssertEqual(state.handle(.end), .goLive)
    }
}
