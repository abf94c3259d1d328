import Foundation
import XCTest

/// smoothtaskd started with CAP_BPF and CAP_PERFMON outside its capability bounding set, as in a
/// container started without them: the fix it gives is to start the container with them, not the
/// unit or setcap, which cannot help there.
final class BoundingSetEndToEndTests: XCTestCase {
    /// Runs the daemon with the capabilities it needs (and CAP_SYS_ADMIN, which also covers them)
    /// dropped from its bounding set; as root, exec then leaves them out of its effective set.
    static let withoutTracingCapabilities = ["/usr/bin/setpriv", "--bounding-set", "-bpf,-perfmon,-sys_admin", "--"]
    /// Where the fix must point: the container's capabilities.
    static let containerFix = "--capability=CAP_BPF,CAP_PERFMON"
    /// The fix that is no help when the bounding set lacks them.
    static let unitFix = "Start smoothtaskd through systemd/smoothtaskd.service"

    override func setUpWithError() throws {
        guard geteuid() == 0 else { throw XCTSkip("dropping capabilities from the bounding set needs root (make test runs as root)") }
        guard access(Self.withoutTracingCapabilities[0], X_OK) == 0 else { throw XCTSkip("setpriv is missing: install util-linux (make deps does)") }
    }

    func testCheckNamesTheBoundingSet() throws {
        try Binaries.requireBuilt()
        let check = try CommandResult.run(Binaries.daemon, ["--check"], wrapper: Self.withoutTracingCapabilities)
        XCTAssertNotEqual(check.status, 0, "eBPF cannot run without the capabilities:\n\(check.stdout)")
        let lines = check.stdout.split(separator: "\n").map(String.init)
        let capabilities = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("FAIL") && $0.contains("capabilities") }, check.stdout)
        XCTAssertTrue(lines[capabilities].contains("bounding set lacks CAP_BPF and CAP_PERFMON"), lines[capabilities])
        let fixes = lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("fix:") }
        XCTAssertFalse(fixes.isEmpty, check.stdout)
        for fix in fixes where fix.contains("CAP_BPF") {
            XCTAssertTrue(fix.contains(Self.containerFix), fix)
            XCTAssertFalse(fix.contains(Self.unitFix), "the unit cannot grant what the bounding set lacks: \(fix)")
        }
        print(lines.filter { $0.contains("capabilities") || $0.contains("bpf()") }.joined(separator: "\n"))
        print(fixes.first ?? "")

        // With the capabilities in the bounding set the check passes, so the figure is this cause's.
        let unrestricted = try CommandResult.run(Binaries.daemon, ["--check"])
        XCTAssertFalse(unrestricted.stdout.contains("bounding set"), unrestricted.stdout)
    }

    func testStatusRemedyNamesTheBoundingSet() throws {
        let daemon = try DaemonProcess(wrapper: Self.withoutTracingCapabilities)
        defer { daemon.stop() }
        let status = try daemon.controlJSON(["status"])
        let ebpf = try XCTUnwrap(status["ebpf"] as? [String: Any], "\(status)")
        XCTAssertEqual(ebpf["supported"] as? Bool, false, "\(ebpf)")
        let reason = ebpf["reason"] as? String ?? ""
        let remedy = ebpf["remedy"] as? String ?? ""
        XCTAssertTrue(reason.contains("bounding set lacks CAP_BPF and CAP_PERFMON"), reason)
        XCTAssertTrue(remedy.contains(Self.containerFix), remedy)
        XCTAssertFalse(remedy.contains(Self.unitFix), remedy)
        print("reason: \(reason)\nremedy: \(remedy)")
    }
}
