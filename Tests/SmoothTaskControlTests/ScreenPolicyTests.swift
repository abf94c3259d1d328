import XCTest
@testable import smoothtaskctl

final class ScreenPolicyTests: XCTestCase {
    func testFullScreenOnlyOnACapableTerminalAndColourOnlyWithoutNoColor() {
        let terminal = ScreenPolicy(interactive: false, plain: false, environment: ["TERM": "xterm"], outputIsTerminal: true)
        XCTAssertTrue(terminal.fullScreen && terminal.colour)
        let noColour = ScreenPolicy(interactive: false, plain: false, environment: ["TERM": "xterm", "NO_COLOR": "1"], outputIsTerminal: true)
        XCTAssertTrue(noColour.fullScreen && !noColour.colour)
        let emptyNoColour = ScreenPolicy(interactive: false, plain: false, environment: ["TERM": "xterm", "NO_COLOR": ""], outputIsTerminal: true)
        XCTAssertTrue(emptyNoColour.colour, "no-color.org: an empty NO_COLOR does not count")
        XCTAssertFalse(ScreenPolicy(interactive: false, plain: false, environment: ["TERM": "dumb"], outputIsTerminal: true).fullScreen)
        XCTAssertFalse(ScreenPolicy(interactive: false, plain: false, environment: [:], outputIsTerminal: true).fullScreen)
        XCTAssertFalse(ScreenPolicy(interactive: false, plain: false, environment: ["TERM": "xterm"], outputIsTerminal: false).fullScreen)
        XCTAssertTrue(ScreenPolicy(interactive: true, plain: false, environment: ["TERM": "xterm"], outputIsTerminal: false).fullScreen)
        XCTAssertFalse(ScreenPolicy(interactive: false, plain: true, environment: ["TERM": "xterm"], outputIsTerminal: true).fullScreen)
    }
}
