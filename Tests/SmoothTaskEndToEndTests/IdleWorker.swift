#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A running `worker_idle` (Tests/Tools/worker_idle.c): it does the work asked for, reports it in one
/// JSON line, then idles until its stdin closes, which ``finish()`` (or deinit) does.
final class IdleWorker {
    /// What the worker reported once its work was done. See worker_idle.c for the exact definitions.
    struct Report: Decodable {
        /// The worker (the sender of the loopback transfer).
        let pid: Int32
        /// The child that received the loopback transfer, idling too; nil without `sendLoopback`.
        let receiverPid: Int32?
        let comm: String
        /// Exact syscalls of the worker from its getpid marker through the read(0) it idles in.
        let syscallsMade: Int
        let getppidCalls: Int
        /// utime+stime of /proc/self/stat just before the report, in ns (a multiple of a clock tick).
        let cpuNs: Int
        /// getrusage(RUSAGE_SELF) utime+stime at the same point, in ns.
        let rusageCpuNs: Int
        let clockTicksPerS: Int
        /// Bytes written with O_DIRECT (then fsync'd and unlinked), sent and received over loopback.
        let writtenBytes: Int
        let sentBytes: Int
        let receivedBytes: Int
    }

    /// How long ``finish()`` waits for the worker to exit once its stdin is closed before killing it.
    static let exitGrace: TimeInterval = 10

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var pending = Data()
    private var cached: Report?
    private let handshake: Bool
    /// With `handshake`, the worker's pid, known before it starts working.
    private(set) var readyPid: Int32?

    /// Starts worker_idle with these options; `wrapper` (e.g. strace) goes in front. With
    /// `handshake` the worker prints its pid and waits for ``report()`` to start it, so a test can
    /// read counters for a process that has not worked yet.
    init(
        cpuMs: Int = 0, syscalls: Int = 0, odirect: URL? = nil, odirectBytes: Int? = nil, sendLoopback: Int? = nil,
        handshake: Bool = false, wrapper: [String] = []
    ) throws {
        var arguments = ["--cpu-ms", "\(cpuMs)", "--syscalls", "\(syscalls)"]
        if let odirect { arguments += ["--odirect", odirect.path] }
        if let odirectBytes { arguments += ["--bytes", "\(odirectBytes)"] }
        if let sendLoopback { arguments += ["--send-loopback", "\(sendLoopback)"] }
        if handshake { arguments.append("--ready") }
        let tool = try LoadTool.path("worker_idle")
        if let first = wrapper.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(wrapper.dropFirst()) + [tool.path] + arguments
        } else {
            process.executableURL = tool
            process.arguments = arguments
        }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        self.handshake = handshake
        try process.run()
        if handshake {
            struct Ready: Decodable { let pid: Int32 }
            readyPid = try LoadTool.decode(readLine(), as: Ready.self).pid
        }
    }

    /// The worker's report, waiting until its work is done (and starting it first with `handshake`).
    func report() throws -> Report {
        if let cached { return cached }
        if handshake { input.fileHandleForWriting.write(Data("go\n".utf8)) }
        let report = try LoadTool.decode(readLine(), as: Report.self)
        cached = report
        return report
    }

    /// Closes the worker's stdin so it and its receiver exit, and returns its exit status (-1 if it
    /// had to be killed).
    @discardableResult
    func finish() -> Int32 {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(Self.exitGrace)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning {
            // SIGKILL: children of the test runner inherit its blocked SIGTERM. The receiver dies
            // with its parent (PR_SET_PDEATHSIG).
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Reads stdout up to the next newline; throws with the worker's stderr if it ends first.
    private func readLine() throws -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                let status = finish()
                let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw LoadTool.Failed(command: "worker_idle", status: status, stderr: stderr)
            }
            pending.append(chunk)
        }
    }

    deinit { finish() }
}
