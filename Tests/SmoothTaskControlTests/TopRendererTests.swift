import SmoothTaskModel
import XCTest
@testable import smoothtaskctl

/// The layout at any size: never wider than the screen, never taller, sort column marked.
final class TopRendererTests: XCTestCase {
    private let top = ProcessTop(
        sort: .cpu, windowMilliseconds: 1_000, timestamp: 1_795_000_000_000, matched: 3,
        processes: TopRowFixtures.three.map(\.activity), unavailable: [:]
    )

    func testEveryLineFitsEverySize() {
        var state = TopScreenState()
        state.tree = true
        var rows = state.arranged(TopRowFixtures.three)
        rows[0].activity.command = String(repeating: "long-argument ", count: 40)
        for (height, width) in [(24, 80), (10, 40), (50, 200), (5, 20), (3, 12), (1, 1)] {
            let lines = TopRenderer(height: height, width: width).lines(state: state, top: top, rows: rows, problem: nil)
            XCTAssertEqual(lines.count, height, "\(height)x\(width)")
            for line in lines {
                XCTAssertLessThanOrEqual(line.text.count, width, "\(height)x\(width): \(line.text)")
            }
        }
    }

    func testHeaderRowsAndSortMark() throws {
        var state = TopScreenState()
        state.sort = .memory
        let renderer = TopRenderer(height: 10, width: 120)
        let lines = renderer.lines(state: state, top: top, rows: state.arranged(TopRowFixtures.three), problem: nil)
        print(lines.map(\.text).joined(separator: "\n"))
        XCTAssertTrue(lines[0].text.hasPrefix("smoothtaskctl top | live"), lines[0].text)
        XCTAssertTrue(lines[0].text.contains("sort memory"), lines[0].text)
        let header = lines[1]
        XCTAssertEqual(header.style, .columnTitles)
        let emphasis = try XCTUnwrap(header.emphasis)
        XCTAssertEqual(Array(header.text)[emphasis].map(String.init).joined().trimmingSpaces, "RSS")
        XCTAssertTrue(lines[2].text.contains("beta"), "largest RSS first: \(lines[2].text)")
        XCTAssertTrue(lines[2].text.contains("1.0G"), lines[2].text)
        XCTAssertTrue(lines[9].text.hasPrefix("q quit"), lines[9].text)
    }

    func testNarrowScreenDropsColumnsButKeepsTheCommand() {
        let wide = TopRenderer(height: 10, width: 120).columns
        let narrow = TopRenderer(height: 10, width: 50).columns
        XCTAssertEqual(wide, TopColumn.allCases)
        XCTAssertTrue(narrow.contains(.command) && narrow.contains(.pid) && narrow.contains(.cpu), "\(narrow)")
        XCTAssertFalse(narrow.contains(.net), "\(narrow)")
    }

    func testProblemReplacesTheTitleAndExitedRowsAreMarked() throws {
        var rows = TopRowFixtures.three
        rows.append(TopRowFixtures.row(40, comm: "gone", exited: true))
        let lines = TopRenderer(height: 8, width: 100).lines(
            state: TopScreenState(), top: top, rows: rows, problem: "reconnecting to /x.sock..."
        )
        XCTAssertEqual(lines[0].style, .warning)
        XCTAssertTrue(lines[0].text.hasPrefix("reconnecting"))
        // The mark comes before the command, which the narrow column cuts.
        let exited = try XCTUnwrap(lines.first { $0.text.contains("   40 ") }, lines.map(\.text).joined(separator: "\n"))
        XCTAssertEqual(exited.style, .exited)
        XCTAssertTrue(exited.text.contains("[exited: code 0]"), exited.text)
    }

    func testWideCharactersCountTwoCells() {
        // As the terminal wrapper sets it from the environment; wcwidth knows no widths in "C".
        XCTAssertNotNil(setlocale(LC_ALL, "C.UTF-8"))
        let line = ScreenLine("ab漢字cd").fitted(to: 5)
        XCTAssertEqual(line.text, "ab漢", "漢 takes 2 cells: 2 + 2 = 4, 字 would make 6")
    }

    func testCompactFigures() {
        XCTAssertEqual(TopRenderer.compactCount(999_999), "999,999")
        XCTAssertEqual(TopRenderer.compactCount(12_345_678), "12.3M")
        XCTAssertEqual(TopRenderer.compactBytes(512), "512B")
        XCTAssertEqual(TopRenderer.compactBytes(1536), "1.5K")
    }
}
