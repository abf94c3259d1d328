#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// A child started with `/bin/sh -c script`, killed and reaped when the test is done with it.
final class ChildProcess {
    private let process = Process()

    init(_ script: String) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the child to exit and returns its status.
    @discardableResult
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        // SIGKILL, not terminate(): the child inherits the test runner's signal mask, which blocks SIGTERM.
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension ChildProcess {
    /// Starts `executable` with `arguments`, or skips the test when it is not installed.
    static func start(_ executable: String, _ arguments: [String], skipReason: String) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw XCTSkip("\(executable) is not installed: \(skipReason)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops `process` and its `children` with SIGKILL and waits for it. Children of the test runner
    /// inherit its blocked signals, so SIGTERM and a program's own SIGALRM timeout may never arrive.
    static func kill(_ process: Process, children: [Int32]) {
        guard process.isRunning else { return }
        for child in children { Glibc.kill(child, SIGKILL) }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs `executable` to completion and returns its standard output.
    static func output(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
