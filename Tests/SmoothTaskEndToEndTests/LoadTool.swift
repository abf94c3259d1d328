import Foundation
import XCTest

/// The C load generators in `Tests/Tools` (`short_lived.c`, `worker_idle.c`): sources of known CPU,
/// syscalls, disk and network bytes that issue 13's tests compare the daemon's totals with. Each is
/// compiled once per test run with the system C compiler into a temporary directory.
enum LoadTool {
    private static let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools")
    private static let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("smoothtask-loadtools-\(getpid())")
    private static let lock = NSLock()
    private static let env = URL(fileURLWithPath: "/usr/bin/env")
    /// Tried in order after $CC: any of them builds the tools (they need only libc).
    static let compilers = ["cc", "gcc", "clang"]
    /// -O2 as the tools' headers say; warnings shown so a broken tool is noticed in the log.
    static let flags = ["-O2", "-Wall", "-Wextra"]

    /// The path of `Tests/Tools/<name>.c` built into an executable, compiled on first use. Skips
    /// when no C compiler is installed; throws with the compiler's output when the build fails.
    static func path(_ name: String) throws -> URL {
        try lock.withLock {
            let binary = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
            let compiler = try findCompiler()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let source = tools.appendingPathComponent("\(name).c")
            let result = try CommandResult.run(env, [compiler] + flags + ["-o", binary.path, source.path])
            guard result.status == 0 else {
                throw Failed(command: "\(compiler) \(source.path)", status: result.status, stderr: result.stderr)
            }
            return binary
        }
    }

    /// Runs `name` to completion with `arguments` (after `wrapper`, e.g. strace) and decodes the JSON
    /// line it printed last.
    static func run<Report: Decodable>(
        _ name: String, _ arguments: [String], wrapper: [String] = [], as type: Report.Type
    ) throws -> Report {
        let result = try CommandResult.run(path(name), arguments, wrapper: wrapper)
        guard result.status == 0 else {
            throw Failed(command: ([name] + arguments).joined(separator: " "), status: result.status, stderr: result.stderr)
        }
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        return try decode(line, as: type)
    }

    /// Decodes one JSON line of a tool: its keys are snake_case.
    static func decode<Report: Decodable>(_ line: String, as type: Report.Type) throws -> Report {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(line.utf8))
    }

    /// A file path on a disk-backed file system, in `scratch` unless that is tmpfs: tmpfs does no
    /// block I/O, so an O_DIRECT write there would never reach a disk.
    static func diskBackedFile(near scratch: URL) throws -> URL {
        let type = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/stat"), ["-f", "-c", "%T", scratch.path])
        if type.status == 0, type.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "tmpfs" {
            return scratch.appendingPathComponent("odirect-\(UUID().uuidString.prefix(8)).bin")
        }
        return URL(fileURLWithPath: "/var/tmp/smoothtask-odirect-\(getpid())-\(UUID().uuidString).bin")
    }

    private static func findCompiler() throws -> String {
        let candidates = (ProcessInfo.processInfo.environment["CC"].map { [$0] } ?? []) + compilers
        for candidate in candidates where (try? CommandResult.run(env, [candidate, "--version"]).status) == 0 {
            return candidate
        }
        throw XCTSkip("no C compiler (\(candidates.joined(separator: ", "))) on PATH to build Tests/Tools/*.c: `make deps` installs gcc")
    }

    /// A tool that failed to build or to run, with what it said.
    struct Failed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let stderr: String
        var description: String { "`\(command)` exited with status \(status): \(stderr)" }
    }
}
