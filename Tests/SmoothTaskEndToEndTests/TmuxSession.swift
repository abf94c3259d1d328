import Foundation
import XCTest

/// A command in a detached tmux session of fixed size, on a tmux server of its own (a socket in a
/// temporary directory, so no other tmux is touched): keys go in with send-keys, the screen comes
/// out with capture-pane. The pane stays after the command exits, to look at what it left.
final class TmuxSession {
    private let directory: URL
    private let socket: String
    private static let name = "ui"

    /// Starts `command` (a shell command line) in a `columns` x `rows` pane whose TERM is tmux's
    /// default (`screen`). Skips the test when tmux is not installed.
    init(_ command: String, columns: Int, rows: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed (make deps installs it): cannot drive the full-screen views")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtask-tmux-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socket = directory.appendingPathComponent("tmux.sock").path
        // No status line (the pane gets every row); the pane outlives its command.
        let configuration = directory.appendingPathComponent("tmux.conf")
        try "set -g status off\nset -g remain-on-exit on\nset -g history-limit 1000\n".write(to: configuration, atomically: true, encoding: .utf8)
        let started = try tmux(["-f", configuration.path, "new-session", "-d", "-s", Self.name, "-x", "\(columns)", "-y", "\(rows)", command])
        XCTAssertEqual(started.status, 0, "tmux new-session: \(started.stderr)")
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// The visible screen, one string per row; with `escapes`, with the SGR sequences of each cell.
    func screen(escapes: Bool = false) throws -> [String] {
        let captured = try tmux(["capture-pane", "-p", "-t", Self.name] + (escapes ? ["-e"] : []))
        return captured.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Sends keys as tmux names them (`q`, `Left`, `Enter`; a longer word is typed as text).
    func send(_ keys: String...) throws {
        let sent = try tmux(["send-keys", "-t", Self.name] + keys)
        XCTAssertEqual(sent.status, 0, "tmux send-keys \(keys): \(sent.stderr)")
    }

    func resize(columns: Int, rows: Int) throws {
        let resized = try tmux(["resize-window", "-t", Self.name, "-x", "\(columns)", "-y", "\(rows)"])
        XCTAssertEqual(resized.status, 0, "tmux resize-window: \(resized.stderr)")
    }

    /// A tmux format of the pane: `#{pane_dead}`, `#{alternate_on}`, `#{history_size}`...
    func pane(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", Self.name, format]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen every 100 ms until `condition` holds, for at most `seconds`; returns the
    /// screen that met it, or fails with the last screen seen.
    @discardableResult
    func waitForScreen(
        _ what: String, seconds: Double = 30, escapes: Bool = false, file: StaticString = #filePath, line: UInt = #line,
        until condition: ([String]) -> Bool
    ) throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String] = []
        while Date() < deadline {
            last = try screen(escapes: escapes)
            if condition(last) { return last }
            usleep(100_000)
        }
        XCTFail("no \(what) within \(seconds) s; screen:\n\(last.joined(separator: "\n"))", file: file, line: line)
        throw Timeout(what: what)
    }

    /// Polls a pane format until it equals `value`.
    func waitForPane(_ format: String, toBe value: String, seconds: Double = 30) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try pane(format) == value { return true }
            usleep(100_000)
        }
        return false
    }

    struct Timeout: Error {
        let what: String
    }

    private func tmux(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(URL(fileURLWithPath: "/usr/bin/tmux"), ["-S", socket] + arguments)
    }
}
