import Foundation

/// A child started with posix_spawn and reaped with waitpid by this object alone, outside
/// Foundation's Process bookkeeping; its output goes to /dev/null.
final class SpawnedProcess {
    /// How long a child may take to stop after SIGTERM.
    static let terminationGrace: TimeInterval = 10

    let pid: pid_t
    private var exitStatus: Int32?

    init(_ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, arguments[0], &actions, nil, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        pid = child
    }

    /// Waits for the child to end by itself (or by a signal someone else sent) and returns its raw
    /// wait status (`WIFEXITED`/`WTERMSIG` style); later ``terminate()`` calls send nothing.
    @discardableResult
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        return status
    }

    /// Sends SIGTERM (once) and returns the exit status, or -1 if it died of a signal. A child
    /// still running after ``terminationGrace`` (systemd-socket-activate waiting for its first
    /// connection ignores SIGTERM) is killed.
    @discardableResult
    func terminate() -> Int32 {
        if let exitStatus { return exitStatus }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(Self.terminationGrace)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline { kill(pid, SIGKILL) }
            usleep(10_000)
        }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        exitStatus = code
        return code
    }

    deinit { terminate() }
}
