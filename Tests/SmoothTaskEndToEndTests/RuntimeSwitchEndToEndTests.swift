import Foundation
import XCTest

/// `smoothtaskctl config set` against the real daemon really detaches and re-attaches its programs,
/// checked in the daemon's /proc/PID/fdinfo; `smoothtaskctl top` shows the disabled column's reason.
final class RuntimeSwitchEndToEndTests: XCTestCase {
    /// Each switch, the program it owns and a tracepoint only that program attaches to once the
    /// per-cgroup and run-queue programs (also on sched_switch) are off.
    static let switches = [
        ("enable_cpu_metrics", "cpu_metrics", "sched_switch"),
        ("enable_syscall_monitoring", "syscalls", "sys_exit"),
        ("enable_memory_metrics", "memory_events", "page_fault_user"),
    ]

    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF and CAP_PERFMON to load eBPF: run the suite as root (make test does)")
        }
    }

    func testConfigSetDetachesAndReattachesEachProgramWithoutRestart() throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "100ms"])
        XCTAssertEqual(try daemon.control(["config", "set", "enable_cgroup_metrics=false", "enable_sched_latency=false"]).status, 0)
        let alreadyDetached = try detachedPrograms(daemon)
        for (key, program, tracepoint) in Self.switches {
            XCTAssertEqual(links(of: daemon.pid, to: tracepoint), 1, "\(tracepoint) not attached at start")
            let off = try daemon.control(["config", "set", "\(key)=false"])
            XCTAssertEqual(off.status, 0, off.stderr)
            XCTAssertEqual(links(of: daemon.pid, to: tracepoint), 0, "\(key)=false left \(tracepoint) attached")
            let detached = try detachedPrograms(daemon)
            XCTAssertEqual(Set(detached.keys), Set(alreadyDetached.keys).union([program]), "\(detached)")
            XCTAssertEqual(detached[program], "disabled by \(key)=false")
            let on = try daemon.control(["config", "set", "\(key)=true"])
            XCTAssertEqual(on.status, 0, on.stderr)
            XCTAssertEqual(links(of: daemon.pid, to: tracepoint), 1, "\(key)=true did not re-attach \(tracepoint)")
        }
    }

    /// Programs `status` lists as not attached, with the reason it gives.
    private func detachedPrograms(_ daemon: DaemonProcess) throws -> [String: String] {
        let status = try daemon.controlJSON(["status"])
        let programs = try XCTUnwrap((status["ebpf"] as? [String: Any])?["programs"] as? [[String: Any]])
        let detached = programs.filter { $0["attached"] as? Bool == false }
        return Dictionary(uniqueKeysWithValues: detached.compactMap { program in
            (program["name"] as? String).map { ($0, program["detail"] as? String ?? "") }
        })
    }

    func testTopShowsDisabledColumnsAsNullWithTheReason() throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "100ms"])
        XCTAssertEqual(try daemon.control(["config", "set", "enable_syscall_monitoring=false"]).status, 0)
        Thread.sleep(forTimeInterval: 0.3)
        let top = try daemon.controlJSON(["top", "--sort", "syscalls", "--limit", "3", "--user", "root"])
        let rows = try XCTUnwrap(top["processes"] as? [[String: Any]])
        XCTAssertFalse(rows.isEmpty, "\(top)")
        XCTAssertLessThanOrEqual(rows.count, 3)
        XCTAssertTrue(rows.allSatisfy { $0["syscalls"] is NSNull && $0["user"] as? String == "root" }, "\(rows)")
        XCTAssertTrue(rows.allSatisfy { $0["cpu_percent"] is Double }, "\(rows)")
        XCTAssertEqual((top["unavailable"] as? [String: String])?["syscalls"], "disabled by enable_syscall_monitoring=false")
        let metrics = try daemon.controlJSON(["metrics"])
        XCTAssertTrue(metrics["syscalls"] is NSNull, "\(metrics)")

        let human = try daemon.control(["top", "--limit", "2"])
        XCTAssertEqual(human.status, 0, human.stderr)
        XCTAssertTrue(human.stdout.contains("syscalls: n/a (disabled by enable_syscall_monitoring=false)"), human.stdout)
        let bad = try daemon.control(["top", "--sort", "memory"])
        XCTAssertEqual(bad.status, 64, bad.stderr)
        let tooMany = try daemon.control(["top", "--limit", "0"])
        XCTAssertEqual(tooMany.status, 64, tooMany.stderr)
    }

    /// BPF links `pid` holds to tracepoint `name`, from /proc/PID/fdinfo (tp_btf and raw_tp both show
    /// as `link_type: raw_tracepoint` with a `tp_name:` line).
    private func links(of pid: Int32, to name: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fdinfo")) ?? []
        return descriptors.filter { fd in
            guard let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8) else { return false }
            return info.contains("link_type:\traw_tracepoint\n") && info.contains("tp_name:\t\(name)\n")
        }.count
    }
}
