import Foundation
import XCTest

/// Per-process detail follows /proc's own visibility: under `hidepid=invisible`, an unprivileged
/// caller sees only its own processes in every per-process list of every answer, and still every
/// system total.
///
/// The daemon runs in a private mount namespace with a fresh procfs instance mounted `hidepid=invisible`
/// (procfs options are per instance since Linux 5.8, so the host's /proc is untouched). Ground truth for
/// who owns what is the host's /proc. What this proves: the daemon reads the hidepid of the /proc it
/// sees and filters per caller; it does not prove anything about other hidepid sources.
final class ProcVisibilityEndToEndTests: XCTestCase {
    private let nobody = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    private let hidepidNamespace = [
        "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
        #"mount -t proc -o hidepid=invisible proc /proc && exec "$0" "$@""#,
    ]

    func testUnprivilegedCallerSeesOnlyItsOwnProcessesUnderHidepid() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root: mounts a procfs in a private mount namespace") }
        let nobodySpinner = try spin(as: nobody)
        let rootSpinner = try spin(as: [])
        defer { [nobodySpinner, rootSpinner].forEach { $0.terminate(); $0.waitUntilExit() } }
        // The root spinner makes sure a busy process nobody does not own exists, even on an idle machine.
        let nobodyUID = try XCTUnwrap(getpwnam("nobody")?.pointee.pw_uid, "no user nobody")

        let hidden = try DaemonProcess(extraArguments: ["--interval", "500ms"], wrapper: hidepidNamespace)
        Thread.sleep(forTimeInterval: 1.2)
        let asNobody = try metrics(of: hidden, wrapper: nobody)
        let seenByNobody = try topPIDs(asNobody)
        XCTAssertTrue(seenByNobody.contains(nobodySpinner.processIdentifier), "nobody's own busy process: \(seenByNobody)")
        for pid in seenByNobody {
            XCTAssertEqual(try? owner(of: pid), nobodyUID, "pid \(pid) is not nobody's but nobody sees it")
        }
        XCTAssertNotNil(asNobody["cpu_usage"] as? Double, "system totals stay visible")
        XCTAssertNotNil(asNobody["memory_usage"] as? Int, "system totals stay visible")
        let asRoot = try topPIDs(try hidden.controlJSON(["metrics"]))
        XCTAssertTrue(asRoot.contains { (try? owner(of: $0)) != nobodyUID }, "root sees everyone's: \(asRoot)")

        // The control: the same caller on a daemon whose /proc does not hide.
        let open = try DaemonProcess(extraArguments: ["--interval", "500ms"])
        Thread.sleep(forTimeInterval: 1.2)
        let openToNobody = try topPIDs(try metrics(of: open, wrapper: nobody))
        XCTAssertTrue(
            openToNobody.contains { (try? owner(of: $0)) != nobodyUID },
            "without hidepid nobody sees other users' processes too: \(openToNobody)"
        )
    }

    /// Under hidepid=invisible, nobody finds no pid and no command name of root's processes in any
    /// answer (`metrics.get`, `status`, `processes.top` with and without searches, `cgroups.top`, one
    /// `metrics.update`), read as the daemon's own bytes; and does find its own busy process. Root's
    /// answers to the same calls are the control: they do show root's busy process.
    func testNobodyFindsNoPidOrNameOfRootsProcessesInAnyAnswer() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root: mounts a procfs in a private mount namespace") }
        guard FileManager.default.isExecutableFile(atPath: systemPython) else { throw XCTSkip("needs \(systemPython), which nobody can run") }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtask-hidepid-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: work.path)
        // nobody cannot read the worktree's tools where it lives (under /root on some hosts): copy them.
        for tool in ["busy_process.py", "rpc_calls.py"] {
            try FileManager.default.copyItem(at: Self.tools.appendingPathComponent(tool), to: work.appendingPathComponent(tool))
        }
        // comm comes from the name exec'd: a symlink gives each busy process a name to search for.
        let python = try FileManager.default.destinationOfSymbolicLink(atPath: systemPython)
        let pythonPath = python.hasPrefix("/") ? python : URL(fileURLWithPath: systemPython).deletingLastPathComponent().appendingPathComponent(python).path
        for name in [rootComm, nobodyComm] {
            try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent(name).path, withDestinationPath: pythonPath)
        }
        let busyScript = work.appendingPathComponent("busy_process.py").path
        let rootBusy = try start([work.appendingPathComponent(rootComm).path, busyScript, work.path])
        let nobodyBusy = try start(nobody + [work.appendingPathComponent(nobodyComm).path, busyScript, work.path])
        defer { [rootBusy, nobodyBusy].forEach { $0.terminate(); $0.waitUntilExit() } }

        let daemon = try DaemonProcess(extraArguments: ["--interval", "500ms"], wrapper: hidepidNamespace)
        let enable = #"{"jsonrpc":"2.0","id":0,"method":"config.set","params":{"enable_sched_latency":true}}"#
        XCTAssertTrue(try calls([enable], on: daemon, in: work, as: [])[0].contains(#""result""#), "root switches run-queue latency on")
        // One short-lived process each, exited before the queries: processes.exited lists it by the
        // owner it had, under the same rules as a live one.
        for exiting in [try start([work.appendingPathComponent(rootComm).path, "-c", "pass"]),
                        try start(nobody + [work.appendingPathComponent(nobodyComm).path, "-c", "pass"])] {
            exiting.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: 1.6)

        let requests = [
            #"{"jsonrpc":"2.0","id":1,"method":"metrics.get"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"status"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"processes.top","params":{"sort":"syscalls","limit":1000}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"processes.top","params":{"user":"root","limit":1000}}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"processes.top","params":{"comm":"\#(rootComm)","limit":1000}}"#,
            #"{"jsonrpc":"2.0","id":6,"method":"processes.top","params":{"comm":"\#(nobodyComm)"}}"#,
            #"{"jsonrpc":"2.0","id":7,"method":"cgroups.top","params":{"limit":1000}}"#,
            #"{"jsonrpc":"2.0","id":9,"method":"processes.exited","params":{"limit":1000}}"#,
            #"{"jsonrpc":"2.0","id":10,"method":"processes.exited","params":{"comm":"\#(rootComm)"}}"#,
            #"{"jsonrpc":"2.0","id":11,"method":"processes.exited","params":{"comm":"\#(nobodyComm)"}}"#,
            #"{"jsonrpc":"2.0","id":8,"method":"metrics.subscribe","params":{"interval_ms":500}}"#,
        ]
        let rootPIDs: Set<Int> = [Int(daemon.pid), Int(rootBusy.processIdentifier), 1]
        let ownPID = Int(nobodyBusy.processIdentifier)

        let asRoot = try calls(requests, on: daemon, in: work, as: [])
        let rootSees = lists(containing: Int(rootBusy.processIdentifier), in: asRoot)
        print("root's busy process \(rootBusy.processIdentifier) shows to root in: \(rootSees.sorted())")
        XCTAssertTrue(rootSees.contains("3:result.processes"), "the control: root finds its busy process")
        XCTAssertTrue(rootSees.contains("5:result.processes"), "the control: root finds it by name")
        XCTAssertTrue(rootSees.contains { $0.hasPrefix("1:") }, "the control: metrics.get lists root's busy process: \(rootSees)")
        let rootExited = try XCTUnwrap(asRoot.first { $0.hasPrefix(#"{"id":10,"#) })
        XCTAssertTrue(rootExited.contains(#""comm":"\#(rootComm)""#), "the control: root finds its exited process: \(rootExited)")

        let asNobody = try calls(requests, on: daemon, in: work, as: nobody)
        XCTAssertEqual(asNobody.count, requests.count + 1, "a reply per request and one metrics.update")
        for frame in asNobody {
            XCTAssertFalse(frame.contains(#""error""#), frame)
            XCTAssertFalse(frame.contains(rootComm), "root's busy process named to nobody: \(frame)")
            XCTAssertFalse(frame.contains(#""comm":"smoothtaskd""#), "the daemon named as a process row to nobody: \(frame)")
        }
        // The daemon's own pid may stand only where it names itself (SO_PEERCRED gives it to every client).
        let selfPaths: Set<String> = ["2:result.pid", "2:result.overhead.pid"]
        let leaks = pids(in: asNobody).filter { rootPIDs.contains($0.pid) && !selfPaths.contains($0.path) }
        XCTAssertEqual(leaks.map { "\($0.path)=\($0.pid)" }, [], "root's pids shown to nobody")
        let nobodySees = lists(containing: ownPID, in: asNobody)
        print("nobody's busy process \(ownPID) shows to nobody in: \(nobodySees.sorted())")
        XCTAssertTrue(nobodySees.contains("3:result.processes"), "nobody finds its own busy process")
        XCTAssertTrue(nobodySees.contains("6:result.processes"), "nobody finds its own busy process by name")
        let ownExited = try XCTUnwrap(asNobody.first { $0.hasPrefix(#"{"id":11,"#) })
        XCTAssertTrue(ownExited.contains(#""comm":"\#(nobodyComm)""#), "nobody finds its own exited process: \(ownExited)")
        for search in ["4", "5", "10"] {
            // Sorted keys put the reply's own id first: a row's "id" (a syscall number) is not it.
            let reply = try XCTUnwrap(asNobody.first { $0.hasPrefix(#"{"id":\#(search),"#) })
            XCTAssertTrue(reply.contains(#""matched":0"#), "a search for root's processes matches none for nobody: \(reply)")
        }
    }

    /// The python nobody can run (pyenv shims live under /root).
    private let systemPython = "/usr/bin/python3"
    private let rootComm = "rootbusy"
    private let nobodyComm = "nobodybusy"
    private static let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools")

    /// Every frame the daemon answers `requests` with on one connection, as `wrapper` (e.g. nobody).
    private func calls(_ requests: [String], on daemon: DaemonProcess, in work: URL, as wrapper: [String]) throws -> [String] {
        let result = try CommandResult.run(
            URL(fileURLWithPath: systemPython), [work.appendingPathComponent("rpc_calls.py").path, daemon.socketPath] + requests,
            wrapper: wrapper
        )
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// Every `"pid"` member in `frames`, with where it is: `<id>:<path>` (`update:` for a notification).
    private func pids(in frames: [String]) -> [(path: String, pid: Int)] {
        var found: [(path: String, pid: Int)] = []
        for frame in frames {
            guard let object = try? JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any] else {
                XCTFail("not a JSON object: \(frame)")
                continue
            }
            let prefix = (object["id"] as? Int).map(String.init) ?? "update"
            collectPIDs(object, path: "\(prefix):", into: &found)
        }
        return found
    }

    private func collectPIDs(_ value: Any, path: String, into found: inout [(path: String, pid: Int)]) {
        let separator = path.hasSuffix(":") ? "" : "."
        if let object = value as? [String: Any] {
            for (key, member) in object {
                if key == "pid", let pid = member as? Int { found.append(("\(path)\(separator)\(key)", pid)) }
                // A reply's id is not part of the path: the prefix says which request it answers.
                if path.hasSuffix(":"), key == "id" || key == "jsonrpc" { continue }
                collectPIDs(member, path: "\(path)\(separator)\(key)", into: &found)
            }
        } else if let array = value as? [Any] {
            for element in array { collectPIDs(element, path: path, into: &found) }
        }
    }

    /// The lists (by path, without the row's own `.pid`) where `pid` stands as a row.
    private func lists(containing pid: Int, in frames: [String]) -> Set<String> {
        Set(pids(in: frames).filter { $0.pid == pid }.map { String($0.path.dropLast(".pid".count)) })
    }

    private func start(_ command: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func spin(as wrapper: [String]) throws -> Process {
        let process = Process()
        let command = wrapper + ["/bin/sh", "-c", "while :; do :; done"]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        try process.run()
        return process
    }

    private func metrics(of daemon: DaemonProcess, wrapper: [String]) throws -> [String: Any] {
        let result = try daemon.control(["metrics", "--json"], wrapper: wrapper)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func topPIDs(_ metrics: [String: Any]) throws -> [Int32] {
        let processes = try XCTUnwrap(metrics["top_processes"] as? [[String: Any]], "\(metrics)")
        return processes.compactMap { ($0["pid"] as? Int).map(Int32.init) }
    }

    /// The uid owning /proc/PID on the host, the owner hidepid compares against.
    private func owner(of pid: Int32) throws -> UInt32 {
        let attributes = try FileManager.default.attributesOfItem(atPath: "/proc/\(pid)")
        return try XCTUnwrap((attributes[.ownerAccountID] as? NSNumber)?.uint32Value)
    }
}
