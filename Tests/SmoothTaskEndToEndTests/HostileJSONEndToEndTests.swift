import Foundation
import XCTest

/// Four clients running as user nobody send worst-case JSON frames in a loop while another client
/// calls `metrics.get` back to back: that client's p99 stays under 50 ms and every collection window
/// stays within 10% of the 1 s interval (issue 11, item 4). Prints latencies, windows and frame counts.
///
/// The shapes (Tests/Tools/hostile_json_client.py): `[{},{},...]`, nested arrays and a request with as
/// many params keys as fit, each at 1 MiB (the frame limit) and at 64 KiB (the request size limit),
/// all refused with `-32600`; and the costliest requests still decoded (64 KiB of escaped quotes,
/// 1,000 elements 16 deep) for an unknown method, answered `-32601`.
final class HostileJSONEndToEndTests: XCTestCase {
    static let hostileClients = 4
    /// Clients calling `processes.top` back to back in the burst test.
    static let burstClients = 8
    /// How long the hostile clients send.
    static let hostileSeconds = 6.0
    /// The measuring client starts this long after them (they build their frames first) and stops
    /// this long before them, so it only ever measures under load.
    static let measureMargin = 1.0
    /// The bound the issue sets on the other client's 99th percentile.
    static let p99Bound = 0.050
    /// The daemon's collection interval (its default) and the tolerance on each window.
    static let intervalMilliseconds = 1000.0
    static let windowTolerance = 0.10

    private static let nobody = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]

    /// What the hostile clients report (Tests/Tools/hostile_json_client.py).
    private struct HostileReport: Decodable {
        let sent: Int
        let rejected: Int
        let codes: [String: Int]
        let reconnects: Int
        let bytes: Int
    }

    /// The measuring client's calls and the collections it saw.
    private struct Measurement: Sendable {
        var latencies: [Double] = []
        /// `window_ms` of each distinct collection, by its timestamp.
        var windows: [Int: Double] = [:]
        var failures: [String] = []
    }

    func testWorstCaseJSONFromFourClientsDelaysNeitherAnotherClientNorTheTick() async throws {
        try PythonTools.require()
        guard getuid() == 0 else { throw XCTSkip("runs the hostile clients as nobody through setpriv: run as root") }
        let daemon = try DaemonProcess()
        let socketPath = daemon.socketPath
        // The first collection's window also holds the daemon's start-up (the overhead budget's
        // self-test runs between loading the programs and the first tick): 1,265-1,282 ms in three
        // starts of the debug daemon, and the 1,307 ms window that once failed this test. The load
        // starts once it is in, and its window is left out below.
        let startUpCollection = try Self.firstCollectionTimestamp(daemon)
        let script = try NobodyReadableTool.path("hostile_json_client.py")
        let threads = Self.threadNames(of: daemon.pid)
        XCTAssertTrue(threads.contains("smoothtask-coll"), "no collection thread in \(threads)")
        let cpuBefore = Self.cpuSeconds(of: daemon.pid)

        async let hostile = withTaskGroup(of: CommandResult?.self) { group in
            for _ in 0..<Self.hostileClients {
                group.addTask {
                    await OwnThread.run {
                        try? CommandResult.run(
                            URL(fileURLWithPath: "/usr/bin/env"),
                            ["python3", script, socketPath, "\(Self.hostileSeconds)"],
                            wrapper: Self.nobody
                        )
                    }
                }
            }
            return await group.reduce(into: [CommandResult?]()) { $0.append($1) }
        }
        let measurement = await OwnThread.run {
            usleep(UInt32(Self.measureMargin * 1e6))
            return Self.measure(socketPath: socketPath, seconds: Self.hostileSeconds - 2 * Self.measureMargin)
        }
        let results = await hostile
        let cpuAfter = Self.cpuSeconds(of: daemon.pid)

        let reports = try results.map { result in
            let output = try XCTUnwrap(result, "hostile client did not start")
            XCTAssertEqual(output.status, 0, output.stderr)
            return try JSONDecoder().decode(HostileReport.self, from: Data(output.stdout.utf8))
        }
        let sent = reports.map(\.sent).reduce(0, +)
        let rejected = reports.map(\.rejected).reduce(0, +)
        let megabytes = Double(reports.map(\.bytes).reduce(0, +)) / 1_048_576
        let codes = reports.reduce(into: [String: Int]()) { total, report in total.merge(report.codes, uniquingKeysWith: +) }
        let sorted = measurement.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? .infinity : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        let windows = measurement.windows.filter { $0.key > startUpCollection }.sorted { $0.key < $1.key }.map(\.value)
        print(String(
            format: "hostile JSON: %d clients (uid nobody) sent %d frames (%.0f MiB), %d refused with -32600, replies by code %@, "
                + "%d reconnects; other client: %d metrics.get, p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
                + "collection windows %@ ms (interval %.0f); daemon CPU %.2f s over the run",
            Self.hostileClients, sent, megabytes, rejected, "\(codes)", reports.map(\.reconnects).reduce(0, +),
            sorted.count, percentile(0.5) * 1000, percentile(0.99) * 1000, (sorted.last ?? 0) * 1000,
            "\(windows.map { Int($0) })", Self.intervalMilliseconds, cpuAfter - cpuBefore
        ))

        XCTAssertEqual(measurement.failures, [], "the measuring client's calls failed")
        XCTAssertGreaterThan(sent, Self.hostileClients, "the hostile clients sent almost nothing")
        XCTAssertEqual(reports.map(\.reconnects).reduce(0, +), 0, "a hostile client was disconnected")
        XCTAssertEqual(Set(codes.keys), ["-32600", "-32601"], "refused by the limits, or decoded and refused by method")
        XCTAssertEqual(codes.values.reduce(0, +), sent, "every hostile frame answered")
        XCTAssertGreaterThan(sorted.count, 10, "the measuring client made too few calls")
        XCTAssertLessThan(percentile(0.99), Self.p99Bound, "metrics.get p99 under hostile JSON")
        XCTAssertGreaterThanOrEqual(windows.count, 2, "too few collections seen")
        for window in windows {
            let tolerance = Self.intervalMilliseconds * Self.windowTolerance
            XCTAssertEqual(window, Self.intervalMilliseconds, accuracy: tolerance, "collection window")
        }
        XCTAssertEqual(kill(daemon.pid, 0), 0, "the daemon is alive")
    }

    /// The timestamp of the daemon's first collection, once it is in (`metrics.get` answers -32002 before).
    private static func firstCollectionTimestamp(_ daemon: DaemonProcess) throws -> Int {
        let deadline = Date().addingTimeInterval(10)
        while true {
            do {
                return try XCTUnwrap(daemon.controlJSON(["metrics"])["timestamp"] as? Int, "metrics.get without a timestamp")
            } catch where Date() < deadline {
                usleep(100_000)
            }
        }
    }

    /// `processes.top` reads /proc for every active process. It used to run on the collector's actor,
    /// so a burst of it queued ahead of the tick (one window stretched to 1,190 ms with eight clients
    /// calling it back to back); now it reads the latest published window on the caller's side.
    func testABurstOfProcessesTopDoesNotDelayTheTick() async throws {
        let daemon = try DaemonProcess()
        let socketPath = daemon.socketPath
        async let burst = withTaskGroup(of: Int.self) { group in
            for _ in 0..<Self.burstClients {
                group.addTask {
                    await OwnThread.run {
                        Self.callBackToBack(
                            #"{"jsonrpc":"2.0","id":1,"method":"processes.top"}"#, socketPath: socketPath, seconds: Self.hostileSeconds
                        )
                    }
                }
            }
            return await group.reduce(0, +)
        }
        let measurement = await OwnThread.run {
            usleep(UInt32(Self.measureMargin * 1e6))
            return Self.measure(socketPath: socketPath, seconds: Self.hostileSeconds - 2 * Self.measureMargin)
        }
        let calls = await burst
        let windows = measurement.windows.sorted { $0.key < $1.key }.map(\.value)
        let sorted = measurement.latencies.sorted()
        print(String(
            format: "processes.top burst: %d clients made %d calls in %.0f s; other client: %d metrics.get, p50 %.2f ms, max %.2f ms; "
                + "collection windows %@ ms (interval %.0f)",
            Self.burstClients, calls, Self.hostileSeconds, sorted.count, (sorted.isEmpty ? 0 : sorted[sorted.count / 2]) * 1000,
            (sorted.last ?? 0) * 1000, "\(windows.map { Int($0) })", Self.intervalMilliseconds
        ))
        XCTAssertEqual(measurement.failures, [], "the measuring client's calls failed")
        XCTAssertGreaterThan(calls, Self.burstClients, "the burst made almost no calls")
        XCTAssertGreaterThanOrEqual(windows.count, 2, "too few collections seen")
        for window in windows {
            let tolerance = Self.intervalMilliseconds * Self.windowTolerance
            XCTAssertEqual(window, Self.intervalMilliseconds, accuracy: tolerance, "collection window")
        }
    }

    /// Sends `request` and reads its reply, back to back, for `seconds`; returns the calls answered.
    private static func callBackToBack(_ request: String, socketPath: String, seconds: Double) -> Int {
        guard let connection = try? RawConnection(path: socketPath) else { return 0 }
        let end = Date().addingTimeInterval(seconds)
        var calls = 0
        while Date() < end {
            guard (try? connection.send(Data(request.utf8))) != nil, (try? connection.receive()) != nil else { break }
            calls += 1
        }
        return calls
    }

    /// Calls `metrics.get` back to back for `seconds` on one connection; times each call from send to
    /// the last byte of the reply and notes each collection's window.
    private static func measure(socketPath: String, seconds: Double) -> Measurement {
        var measurement = Measurement()
        let request = Data(#"{"jsonrpc":"2.0","id":1,"method":"metrics.get"}"#.utf8)
        let connection: RawConnection
        do {
            connection = try RawConnection(path: socketPath)
        } catch {
            measurement.failures.append("connect: \(error)")
            return measurement
        }
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int(seconds * 1000))
        while clock.now < end {
            let start = clock.now
            do {
                try connection.send(request)
                guard let reply = try connection.receive() else {
                    measurement.failures.append("connection closed")
                    return measurement
                }
                let elapsed = (clock.now - start).components
                measurement.latencies.append(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
                let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any]
                guard let result = object?["result"] as? [String: Any],
                      let timestamp = result["timestamp"] as? Int, let window = result["window_ms"] as? Int
                else {
                    measurement.failures.append("no result: \(String(decoding: reply.prefix(200), as: UTF8.self))")
                    continue
                }
                measurement.windows[timestamp] = Double(window)
            } catch {
                measurement.failures.append("\(error)")
                return measurement
            }
        }
        return measurement
    }

    /// The names of `pid`'s threads, from /proc/PID/task/TID/comm.
    private static func threadNames(of pid: Int32) -> [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { tid in
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// User plus system CPU seconds `pid` has used, from /proc/PID/stat.
    private static func cpuSeconds(of pid: Int32) -> Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // Fields after the command (which may hold spaces) start at the last ')'.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
