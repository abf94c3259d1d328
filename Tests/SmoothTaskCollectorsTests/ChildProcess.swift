#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// A helper program the tests run as a separate process, so its figures have a process of their own.
enum ChildProcess {
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
