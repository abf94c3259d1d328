import Foundation
import XCTest

/// The protocol as a stranger sees it: schema conformance, the documented Python client, bad input,
/// subscriptions, all against the real daemon.
final class ProtocolEndToEndTests: XCTestCase {
    func testEveryResultAndNotificationConformsToTheOpenRPCSchema() throws {
        try PythonTools.require(needsJSONSchema: true)
        let daemon = try DaemonProcess(extraArguments: ["--interval", "200ms"])
        // Run-queue latency (on by default; set again in case): its histograms are checked in depth, not just as null.
        let enable = try daemon.control(["config", "set", "enable_sched_latency=true"])
        XCTAssertEqual(enable.status, 0, enable.stderr)
        let check = try PythonTools.run("tools/check_schema.py", [daemon.socketPath])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        print(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let ebpf = try daemon.controlJSON(["status"])["ebpf"] as? [String: Any]
        if ebpf?["supported"] as? Bool == true {
            XCTAssertTrue(check.stdout.contains("every area checked in depth"), "with eBPF every area has figures: \(check.stdout)")
        }
    }

    func testDocumentedPythonClientCallsAndWatches() throws {
        try PythonTools.require()
        let daemon = try DaemonProcess(extraArguments: ["--interval", "100ms"])
        let config = try PythonTools.run("examples/smoothtask_client.py", ["--socket", daemon.socketPath, "config.get"])
        XCTAssertEqual(config.status, 0, config.stderr)
        let fromPython = try JSONSerialization.jsonObject(with: Data(config.stdout.utf8)) as? NSDictionary
        XCTAssertEqual(fromPython, try daemon.controlJSON(["config", "get"]) as NSDictionary)

        let watch = try PythonTools.run("examples/smoothtask_client.py", ["--socket", daemon.socketPath, "--watch", "3"])
        XCTAssertEqual(watch.status, 0, watch.stderr)
        let updates = try watch.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(updates.count, 3)
        let timestamps = updates.compactMap { $0["timestamp"] as? Int }
        XCTAssertEqual(timestamps, timestamps.sorted())
        XCTAssertEqual(Set(timestamps).count, 3, "each update is a new collection")

        let refused = try PythonTools.run(
            "examples/smoothtask_client.py",
            ["--socket", daemon.socketPath, "config.set", #"{"collection_interval_ms": 1}"#]
        )
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("-32602"), refused.stderr)
    }

    func testWatchPrintsOneJSONLinePerUpdateWithOnlyTheAskedGroups() throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "100ms"])
        let watch = try daemon.control(["watch", "--json", "--count", "3", "--groups", "cpu", "memory"])
        XCTAssertEqual(watch.status, 0, watch.stderr)
        let lines = watch.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, watch.stdout)
        for line in lines {
            let update = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertNotNil(update["cpu_usage"], String(line))
            XCTAssertNotNil(update["memory_usage"], String(line))
            XCTAssertNil(update["syscall_count"], "syscalls were not asked for: \(line)")
            XCTAssertNil(update["top_processes"], "processes were not asked for: \(line)")
        }
        let text = try daemon.control(["watch", "--count", "1"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertFalse(text.stdout.contains("\u{1B}"), "piped: plain text, no escapes")
        XCTAssertTrue(text.stdout.contains("CPU:") && text.stdout.contains("Syscalls:"), text.stdout)
        let bad = try daemon.control(["watch", "--every", "-1s"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
    }

    func testBadFramesGetTheirErrorChangeNothingAndTheDaemonKeepsServing() throws {
        let daemon = try DaemonProcess()
        let before = try daemon.controlJSON(["config", "get"])
        let cases: [(name: String, payload: Data, code: Int)] = [
            ("invalid UTF-8", Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]), -32700),
            ("zero-length frame", Data(), -32700),
            ("invalid JSON", Data(#"{"jsonrpc":"2.0","id":1,"method":"#.utf8), -32700),
            ("NUL bytes", Data(repeating: 0, count: 16), -32700),
            ("huge exponent", Data(#"{"jsonrpc":"2.0","id":1,"method":"config.set","params":{"collection_interval_ms":1e400}}"#.utf8), -32700),
            ("batch of valid requests", Data(#"[{"jsonrpc":"2.0","id":1,"method":"config.set","params":{"enable_cpu_metrics":false}}]"#.utf8), -32600),
        ]
        let connection = try RawConnection(path: daemon.socketPath)
        for (name, payload, code) in cases {
            try connection.send(payload)
            let reply = try XCTUnwrap(try connection.receive(), "\(name): connection closed")
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: reply) as? [String: Any], name)
            XCTAssertEqual((object["error"] as? [String: Any])?["code"] as? Int, code, "\(name): \(object)")
        }
        // A header cut short, then hang up; a header claiming 4 GiB.
        try RawConnection(path: daemon.socketPath).write(Data([0, 0]))
        let liar = try RawConnection(path: daemon.socketPath)
        try liar.send(Data(), declaredLength: UInt32.max)
        XCTAssertEqual(try liar.receive().flatMap { try JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            .flatMap { ($0["error"] as? [String: Any])?["code"] as? Int }, -32600)
        XCTAssertNil(try liar.receive(), "closed after the oversized header")

        XCTAssertEqual(NSDictionary(dictionary: try daemon.controlJSON(["config", "get"])), NSDictionary(dictionary: before))
        XCTAssertEqual(kill(daemon.pid, 0), 0, "the daemon is alive")
        try connection.send(Data(#"{"jsonrpc":"2.0","id":2,"method":"status"}"#.utf8))
        XCTAssertNotNil(try connection.receive(), "the connection that sent bad frames is still served")
    }

    func testHalfSentFrameIsDroppedAfterTheDeadline() throws {
        let daemon = try DaemonProcess(extraArguments: ["--frame-deadline", "300ms"])
        let staller = try RawConnection(path: daemon.socketPath)
        try staller.write(Data([0, 0, 0, 64]) + Data(#"{"jsonrpc":"#.utf8))
        let refusal = try XCTUnwrap(try staller.receive())
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: refusal) as? [String: Any])
        XCTAssertEqual((object["error"] as? [String: Any])?["code"] as? Int, -32600)
        XCTAssertNil(try staller.receive(), "the stalled connection is closed")
    }

    func testSubscriberThatStopsReadingIsDroppedNotBufferedFor() throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "10ms"])
        let residentBefore = daemon.residentBytes
        let subscriber = try RawConnection(path: daemon.socketPath)
        try subscriber.send(Data(#"{"jsonrpc":"2.0","id":1,"method":"metrics.subscribe"}"#.utf8))
        XCTAssertNotNil(try subscriber.receive())
        // Read nothing: 100 notifications a second pile up in the socket until the daemon gives up.
        XCTAssertTrue(daemon.waitForLog("Subscriber dropped"), "not dropped within 20 s:\n\(daemon.log.suffix(2000))")
        var unread = 0
        while let frame = try subscriber.receive() { unread += frame.count + 4 }
        let residentAfter = daemon.residentBytes
        print("unread subscriber: \(unread) bytes were queued when dropped; daemon RSS \(residentBefore / 1024) -> \(residentAfter / 1024) KiB")
        XCTAssertLessThan(unread, 4 << 20, "what was queued for the subscriber is bounded by the socket and NIO buffers")
        XCTAssertNotNil(try daemon.controlJSON(["config", "get"])["collection_interval_ms"])
    }
}
