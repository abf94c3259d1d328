import Foundation
import XCTest

/// A real `smoothtaskd` on a socket in a fresh temporary directory, stopped with SIGTERM.
final class DaemonProcess {
    let directory: URL
    let socketPath: String
    private let process = Process()
    private let stderrFile: URL
    /// Set when a restarted daemon took the directory over: it removes it.
    private var keepsDirectory = false

    /// The configuration file the daemon loads and writes, inside ``directory``.
    let configPath: String
    /// The daemon's state directory (the history store), inside ``directory``.
    let stateDirectory: String

    /// Starts the daemon and waits until its socket accepts connections.
    /// - Parameter wrapper: a command line (setpriv, unshare) the daemon's is appended to; it must
    ///   exec the daemon so ``pid`` is the daemon's.
    /// - Parameter overheadBudget: `--max-overhead-percent`; 0 (no limit) unless the test is about the
    ///   budget or needs the defaults: on a loaded test machine the default 1% would shed the very
    ///   programs a test looks at. `nil` leaves the configuration's value.
    /// - Parameter restarting: a stopped daemon whose directory (socket, config, history) this one
    ///   takes over, as a restart would; that one's deinit then leaves the directory to this one.
    init(
        extraArguments: [String] = [], wrapper: [String] = [], overheadBudget: Double? = 0, restarting previous: DaemonProcess? = nil
    ) throws {
        try Binaries.requireBuilt()
        previous?.keepsDirectory = true
        directory = previous?.directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("smoothtask-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Other users (the `nobody` test) must be able to reach the socket inside.
        // A daemon run as another user (setpriv) must also create its socket and config file inside.
        try FileManager.default.setAttributes([.posixPermissions: wrapper.isEmpty ? 0o755 : 0o777], ofItemAtPath: directory.path)
        socketPath = directory.appendingPathComponent("smoothtask.sock").path
        configPath = directory.appendingPathComponent("config.json").path
        stderrFile = directory.appendingPathComponent("smoothtaskd.log")
        // FileHandle(forWritingTo:) below throws with the reason if this could not create the file.
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        // Unix metrics endpoints go in the test's own directory (a later --metrics-socket-directory wins).
        // The history goes in the test's own directory, never /var/lib/smoothtask (a later --state-dir wins).
        stateDirectory = directory.appendingPathComponent("state").path
        let command = wrapper + [Binaries.daemon.path, "--socket", socketPath, "--config", configPath, "--log-level", "info",
                                 "--metrics-socket-directory", directory.path, "--state-dir", stateDirectory]
            + (overheadBudget.map { ["--max-overhead-percent", "\($0)"] } ?? []) + extraArguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitForSocket()
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// The daemon's resident set in bytes, from /proc/PID/status (VmRSS).
    var residentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// Waits up to `seconds` for a log line containing `text`.
    func waitForLog(_ text: String, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log.contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    /// Sends SIGTERM and returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends `signal` without waiting.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Kills the daemon with SIGKILL, as a crash or power cut would stop it, and waits for it.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs `smoothtaskctl --socket <ours> arguments...`.
    func control(_ arguments: [String], wrapper: [String] = []) throws -> CommandResult {
        try CommandResult.run(Binaries.control, arguments + ["--socket", socketPath], wrapper: wrapper)
    }

    /// Runs `smoothtaskctl ... --json` and decodes its output as a JSON object.
    func controlJSON(_ arguments: [String]) throws -> [String: Any] {
        let result = try control(arguments + ["--json"])
        guard result.status == 0 else {
            throw ControlFailed(arguments: arguments, result: result)
        }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    deinit {
        stop()
        if !keepsDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    private func waitForSocket() throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            guard process.isRunning else {
                throw StartFailed(log: log)
            }
            if FileManager.default.fileExists(atPath: socketPath),
               (try? control(["config", "get"]).status) == 0 {
                return
            }
            usleep(20_000)
        }
        throw StartFailed(log: "socket not ready after 20 s\n" + log)
    }

    struct StartFailed: Error, CustomStringConvertible {
        let log: String
        var description: String { "smoothtaskd did not start:\n\(log)" }
    }

    struct ControlFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let result: CommandResult
        var description: String { "smoothtaskctl \(arguments) exited \(result.status): \(result.stderr)" }
    }
}
