import Foundation
import XCTest

/// `smoothtaskctl top` and `watch` full screen (issue 18), driven in tmux against a real daemon:
/// keys in with send-keys, the screen out with capture-pane. Every wait polls with a deadline.
final class TerminalScreenEndToEndTests: XCTestCase {
    /// The command line tmux runs: the client against `daemon`, between a marker line the test looks
    /// for once the client gave the screen back and a line with its exit status. The shell stays
    /// (until the session is killed): tmux 3.3 was seen to scroll a dead pane's screen by a line.
    private func command(_ daemon: DaemonProcess, _ arguments: String, environment: String = "") -> String {
        "printf 'before-the-screen\\n'; env \(environment) \(Binaries.control.path) \(arguments) --socket \(daemon.socketPath); "
            + "printf 'exit=%s\\n' $?; exec sleep 600"
    }

    /// Waits until the client has exited and the shell printed its status; returns the screen.
    @discardableResult
    private func waitForExit(_ tmux: TmuxSession, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        try tmux.waitForScreen("the client's exit", file: file, line: line) { $0.contains { $0.hasPrefix("exit=") } }
    }

    /// The table rows of a `top` screen: the lines between the column titles and the bottom line.
    private static func rows(_ screen: [String]) -> [[Substring]] {
        guard let header = screen.firstIndex(where: { $0.contains("PID") && $0.contains("COMMAND") }) else { return [] }
        return screen[(header + 1)...].dropLast().map { $0.split(separator: " ") }.filter { !$0.isEmpty && Int($0[0]) != nil }
    }

    private static func isTop(_ screen: [String]) -> Bool {
        (screen.first ?? "").hasPrefix("smoothtaskctl top | live") && rows(screen).count >= 2
    }

    func testTopDrawsSortsFiltersAndQuitsGivingTheScreenBack() throws {
        let daemon = try DaemonProcess()
        let tmux = try TmuxSession(command(daemon, "top"), columns: 120, rows: 30)

        var screen = try tmux.waitForScreen("top with rows") { Self.isTop($0) }
        print(screen.joined(separator: "\n"))
        XCTAssertEqual(try tmux.pane("#{alternate_on}"), "1", "top draws on the alternate screen")
        XCTAssertTrue(screen[1].contains("CPU%") && screen[1].contains("RSS") && screen[1].contains("DISK/s"), screen[1])
        XCTAssertTrue(screen.last?.hasPrefix("q quit") == true, screen.last ?? "")
        let cpus = Self.rows(screen).map { Double($0[2]) ?? -1 }
        XCTAssertEqual(cpus, cpus.sorted(by: >), "sorted by CPU%, largest first:\n\(screen.joined(separator: "\n"))")

        try tmux.send("p")
        screen = try tmux.waitForScreen("the pid order") { $0.first?.contains("sort pid") == true && Self.rows($0).count >= 2 }
        let pids = Self.rows(screen).map { Int($0[0]) ?? 0 }
        XCTAssertEqual(pids, pids.sorted(), "p sorts by pid:\n\(screen.joined(separator: "\n"))")

        let before = Self.rows(screen).count
        try tmux.send("/")
        try tmux.waitForScreen("the filter prompt") { $0.last?.hasPrefix("Filter") == true }
        try tmux.send("-l", "comm:smoothtaskd")
        try tmux.send("Enter")
        // The daemon collects each interval, so it is always in the window.
        screen = try tmux.waitForScreen("the filtered rows") { screen in
            screen.first?.contains("filter command:smoothtaskd") == true && !Self.rows(screen).isEmpty
        }
        print(screen.joined(separator: "\n"))
        let filtered = Self.rows(screen)
        XCTAssertLessThan(filtered.count, before, "the filter narrows the rows")
        XCTAssertTrue(filtered.contains { Int32($0[0]) == daemon.pid }, "the daemon's row is kept:\n\(screen.joined(separator: "\n"))")
        // The filter matches in any case, anywhere in the command line (a compiler's arguments may
        // name SmoothTaskDaemon sources): a row cut short is checked against the process's own.
        for row in filtered where !row.joined(separator: " ").lowercased().contains("smoothtaskd") {
            let commandLine = (try? String(contentsOfFile: "/proc/\(row[0])/cmdline", encoding: .utf8)) ?? "smoothtaskd (exited)"
            XCTAssertTrue(commandLine.lowercased().contains("smoothtaskd"), "a row without smoothtaskd: \(row)")
        }

        // The thread view: the daemon's own threads (its collection and exit-drain threads are named
        // smoothtask-*), each under its tid, read from /proc/PID/task by the client.
        let daemonThreads = Set(try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/task").compactMap(Int32.init))
        try tmux.send("Escape")
        try tmux.send("/")
        try tmux.waitForScreen("the filter prompt") { $0.last?.hasPrefix("Filter") == true }
        try tmux.send("-l", "smoothtask")
        try tmux.send("Enter")
        try tmux.send("H")
        screen = try tmux.waitForScreen("the daemon's threads") { screen in
            (screen.first ?? "").contains(" threads of ")
                && Self.rows(screen).contains { Int32($0[0]).map { $0 != daemon.pid && daemonThreads.contains($0) } ?? false }
        }
        print(screen.joined(separator: "\n"))
        try tmux.send("H")
        try tmux.waitForScreen("processes again") { !($0.first ?? "").contains(" threads of ") && !Self.rows($0).isEmpty }

        // Back in time: the recorded collection before the one shown, then live again. The history
        // must first hold a collection older than the one on screen.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, (try daemon.controlJSON(["history"])["collections"] as? Int ?? 0) < 3 { usleep(200_000) }
        try tmux.send("Left")
        screen = try tmux.waitForScreen("a recorded collection") { ($0.first ?? "").hasPrefix("smoothtaskctl top | history ") }
        print(screen.prefix(4).joined(separator: "\n"))
        XCTAssertTrue(screen.last?.contains("End: live") == true, screen.last ?? "")
        try tmux.send("End")
        try tmux.waitForScreen("live again") { ($0.first ?? "").hasPrefix("smoothtaskctl top | live") }

        XCTAssertEqual(try tmux.pane("#{history_size}"), "0", "no frames piled into the scrollback")
        try tmux.send("q")
        let after = try waitForExit(tmux)
        XCTAssertEqual(try tmux.pane("#{alternate_on}"), "0", "the alternate screen is left")
        XCTAssertTrue(after.contains("before-the-screen"), "the shell's screen is back:\n\(after.joined(separator: "\n"))")
        XCTAssertTrue(after.contains("exit=0"), "top exits 0 on q:\n\(after.joined(separator: "\n"))")
        XCTAssertFalse(after.contains { $0.contains("smoothtaskctl top |") || $0.contains("COMMAND") }, "no frame left behind:\n\(after.joined(separator: "\n"))")
    }

    func testResizeLaysTheScreenOutAgainWithoutWrapping() throws {
        let daemon = try DaemonProcess()
        let tmux = try TmuxSession(command(daemon, "top"), columns: 120, rows: 30)
        try tmux.waitForScreen("top at 120x30") { Self.isTop($0) && $0[1].contains("NET/s") }

        try tmux.resize(columns: 52, rows: 12)
        let narrow = try tmux.waitForScreen("top laid out for 52x12") { screen in
            screen.count == 12 && !screen[1].contains("NET/s") && screen[1].contains("COMMAND") && Self.isTop(screen)
        }
        print(narrow.joined(separator: "\n"))
        for line in narrow { XCTAssertLessThanOrEqual(line.count, 52, "wider than the screen: \(line)") }
        XCTAssertTrue(narrow[0].hasPrefix("smoothtaskctl top"), "the title stays on the first row (nothing wrapped)")
        XCTAssertTrue(narrow[1].trimmingCharacters(in: .whitespaces).hasPrefix("PID"), narrow[1])
        XCTAssertLessThanOrEqual(Self.rows(narrow).count, 9, "12 rows: title, column titles, at most 9 processes, keys")
        XCTAssertTrue(narrow[11].hasPrefix("q quit"), "the keys on the last row: \(narrow[11])")

        try tmux.resize(columns: 120, rows: 30)
        try tmux.waitForScreen("top laid out for 120x30 again") { $0.count == 30 && $0[1].contains("NET/s") && Self.isTop($0) }
        XCTAssertEqual(try tmux.pane("#{history_size}"), "0", "no frames piled into the scrollback")
        try tmux.send("q")
        XCTAssertTrue(try waitForExit(tmux).contains("exit=0"), "q ends top")
    }

    /// SGR parameters that set a colour: foreground/background 30-38, 40-48, 90-97, 100-107
    /// (39 and 49, back to the default colour, set none).
    private static func colourEscapes(_ screen: [String]) -> [String] {
        let text = screen.joined(separator: "\n")
        var found: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "\u{1B}[") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "m") else { break }
            let parameters = rest[..<end].split(separator: ";").compactMap { Int($0) }
            if parameters.contains(where: { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }) {
                found.append(String(rest[..<end]))
            }
            rest = rest[rest.index(after: end)...]
        }
        return found
    }

    func testColourOnlyWithoutNoColor() throws {
        let daemon = try DaemonProcess()
        // The test's own environment may carry NO_COLOR: each run sets it or takes it out.
        let coloured = try TmuxSession(command(daemon, "top", environment: "-u NO_COLOR"), columns: 100, rows: 20)
        let colourScreen = try coloured.waitForScreen("top in colour", escapes: true) { !Self.colourEscapes($0).isEmpty }
        print("colour escapes: \(Set(Self.colourEscapes(colourScreen)).sorted())")

        let plain = try TmuxSession(command(daemon, "top", environment: "NO_COLOR=1"), columns: 100, rows: 20)
        let screen = try plain.waitForScreen("top without colour", escapes: true) { screen in
            screen.contains { $0.contains("COMMAND") } && screen.count(where: { $0.contains("root") }) >= 2
        }
        XCTAssertEqual(Self.colourEscapes(screen), [], "NO_COLOR: no colour escapes:\n\(screen.joined(separator: "\n"))")
        XCTAssertTrue(screen.joined().contains("\u{1B}[7m"), "the title is still marked (reverse video)")
    }

    func testPipedTopAndWatchPrintNoEscapes() throws {
        let daemon = try DaemonProcess()
        let top = try daemon.control(["top"])
        XCTAssertEqual(top.status, 0, top.stderr)
        XCTAssertTrue(top.stdout.hasPrefix("Processes by cpu"), top.stdout)
        let watch = try daemon.control(["watch", "--count", "2"])
        XCTAssertEqual(watch.status, 0, watch.stderr)
        for output in [top.stdout, watch.stdout] {
            XCTAssertFalse(output.contains("\u{1B}"), "an escape in piped output: \(output.debugDescription)")
        }
        XCTAssertEqual(watch.stdout.components(separatedBy: "CPU:").count - 1, 2, watch.stdout)
        let dumb = try TmuxSession(command(daemon, "top", environment: "TERM=dumb"), columns: 100, rows: 40)
        let table = try waitForExit(dumb)
        XCTAssertTrue(table.contains { $0.hasPrefix("Processes by cpu") }, "TERM=dumb: the table once, then exit:\n\(table.joined(separator: "\n"))")
        XCTAssertTrue(table.contains("exit=0"))
    }

    func testWatchSurvivesADaemonRestart() throws {
        let first = try DaemonProcess()
        let tmux = try TmuxSession(command(first, "watch"), columns: 120, rows: 40)
        try tmux.waitForScreen("watch live") { ($0.first ?? "").hasPrefix("smoothtaskctl watch | live") && $0.contains { $0.hasPrefix("CPU:") } }

        first.stop()
        let down = try tmux.waitForScreen("reconnecting") { ($0.first ?? "").hasPrefix("reconnecting to \(first.socketPath)...") }
        print(down.joined(separator: "\n"))
        let second = try DaemonProcess(restarting: first)
        let back = try tmux.waitForScreen("watch live after the restart") { screen in
            (screen.first ?? "").hasPrefix("smoothtaskctl watch | live") && screen.contains { $0.hasPrefix("CPU:") }
        }
        print(back.joined(separator: "\n"))
        try tmux.send("q")
        XCTAssertTrue(try waitForExit(tmux).contains("exit=0"), "watch kept running across the restart and q ends it")
        XCTAssertEqual(try tmux.pane("#{alternate_on}"), "0")
        second.stop()
    }
}
