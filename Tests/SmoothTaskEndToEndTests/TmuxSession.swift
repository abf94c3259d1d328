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
        // No status line: the pane gets every row.
        let configuration = directory.appendingPathComponent("tmux.conf")
        try "set -g status off\nset -g history-limit 1000\n".write(to: configuration, atomically: true, encoding: .utf8)
        let started = try tmux(["-f", configuration.path, "new-session", "-d", "-s", Self.name, "-x", "\(columns)", "-y", "\(rows)", command])
        XCTAssertEqual(started.status, 0, "tmux new-session \(command) failed")
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// The visible screen, one string per row; with `escapes`, with the SGR sequences of each cell.
    func screen(escapes: Bool = false) throws -> [String] {
        let captured = try tmux(["capture-pane", "-p", "-t", Self.name] + (escapes ? ["-e"] : []))
        var rows = captured.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // capture-pane ends every row with a newline, the last one too.
        if rows.last == "" { rows.removeLast() }
        return rows
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

    /// Polls the screen every 100 ms until `condition` holds on two captures in a row that are the
    /// same (a capture can catch a frame half drawn), for at most `seconds`; returns the screen that
    /// met it, or fails with the last screen seen.
    @discardableResult
    func waitForScreen(
        _ what: String, seconds: Double = 30, escapes: Bool = false, file: StaticString = #filePath, line: UInt = #line,
        until condition: ([String]) -> Bool
    ) throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String] = []
        var previous: [String]?
        while Date() < deadline {
            last = try screen(escapes: escapes)
            if last == previous, condition(last) { return last }
            previous = last
            usleep(100_000)
        }
        XCTFail("no \(what) within \(seconds) s; screen:\n\(last.joined(separator: "\n"))", file: file, line: line)
        throw Timeout(what: what)
    }

    struct Timeout: Error {
        let what: String
    }

    /// Runs tmux to completion, its output through a file. Not through Foundation's Process with
    /// pipes: the server that new-session forks keeps the client's descriptors (a pipe's reader would
    /// wait for an end of file until the server exits), and Process was seen never to notice a tmux
    /// client's exit (waitUntilExit hung on a reaped client).
    private func tmux(_ arguments: [String]) throws -> CommandResult {
        let output = directory.appendingPathComponent("output-\(UUID().uuidString.prefix(8))").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/usr/bin/tmux", "-S", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let stdout = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return CommandResult(status: exitStatus, stdout: stdout, stderr: "")
    }
}
