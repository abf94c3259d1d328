import Foundation
import XCTest

/// Per-process detail follows /proc's own visibility: under `hidepid=invisible`, an unprivileged
/// caller sees only its own processes in `top_processes`, and still every system total.
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
