import Foundation
import XCTest

/// smoothtaskd in a pid namespace of its own, as in a container: every row it lists is a process of
/// that namespace, under the pid the namespace gives it, with its name and user, live and exited;
/// processes outside it (this test runner, the rest of the machine) never get a row.
final class PIDNamespaceEndToEndTests: XCTestCase {
    /// How long a process may take to reach `processes.top` or `processes.exited` (collections
    /// every 500 ms here; generous for a loaded machine).
    static let arrivalSeconds: TimeInterval = 15

    /// Runs the daemon's command line (appended as "$@") in a new pid and mount namespace with its
    /// own /proc, as the second process there: pid 1 is a shell that waits for it, so the namespace
    /// ends when the daemon does. unshare ignores SIGTERM, so this outer shell (the process
    /// DaemonProcess starts and signals) forwards it to the daemon, found through /proc's children
    /// lists of the processes it started itself.
    static let namespaceWrapper = [
        "/bin/sh", "-c",
        """
        /usr/bin/unshare --pid --fork --mount-proc --kill-child /bin/sh -c '"$@" & wait' sh "$@" &
        unshare=$!
        trap 'for init in $(cat /proc/$unshare/task/$unshare/children); do
                  kill -TERM $(cat /proc/$init/task/$init/children); done' TERM
        wait $unshare
        wait $unshare
        """,
        "sh",
    ]

    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN (unshare, nsenter): run the suite as root (make test does)")
        }
        for tool in ["/usr/bin/unshare", "/usr/bin/nsenter"] where access(tool, X_OK) != 0 {
            throw XCTSkip("\(tool) is missing: install util-linux (make deps does)")
        }
    }

    func testRowsUseTheDaemonsNamespacePidsNamesAndUsers() throws {
        let daemon = try DaemonProcess(extraArguments: ["--interval", "500ms"], wrapper: Self.namespaceWrapper)
        defer { daemon.stop() }
        try requireLifecycleProgram(daemon)
        let initPID = try namespaceInit(of: daemon)
        let namespace = try namespaceInode(of: initPID)
        XCTAssertNotEqual(namespace, try namespaceInode(of: getpid()), "the daemon must run in a pid namespace of its own")
        let status = try daemon.controlJSON(["status"])
        XCTAssertEqual(status["pid"] as? Int, 2, "the daemon reports its own pid as its namespace numbers it: \(status)")

        // A process started inside the namespace that works, then idles under another name.
        let livePIDFile = daemon.directory.appendingPathComponent("live.pid").path
        let live = try SpawnedProcess(inNamespaceOf: initPID, script: "echo $$ > \(livePIDFile); \(ExitedProcessesEndToEndTests.busyLoop); exec /bin/sleep 60")
        defer { live.terminate() }
        let livePID = try readPID(livePIDFile)
        XCTAssertLessThan(livePID, 1000, "a fresh namespace numbers its processes from 1")
        let liveRow = try waitForRow(daemon, ["top", "--total", "--pid", String(livePID)]) { $0["comm"] as? String == "sleep" }
        XCTAssertEqual(liveRow["state"] as? String, "live")
        XCTAssertEqual(liveRow["user"] as? String, "root", "the owner is read from the namespace's /proc: \(liveRow)")
        let liveTotals = try XCTUnwrap(liveRow["totals"] as? [String: Any], "\(liveRow)")
        XCTAssertGreaterThan(liveTotals["cpu_time_ns"] as? Int ?? 0, 10_000_000, "the busy loop is charged to it: \(liveTotals)")
        XCTAssertGreaterThan(liveTotals["syscalls"] as? Int ?? 0, 0, "\(liveTotals)")

        // One that exits: its record carries the same numbering, and a parent outside the
        // namespace (nsenter) reads 0, as the namespace's /proc shows it.
        let exitedPIDFile = daemon.directory.appendingPathComponent("exited.pid").path
        let exiting = try SpawnedProcess(inNamespaceOf: initPID, script: "echo $$ > \(exitedPIDFile); \(ExitedProcessesEndToEndTests.busyLoop); exit 5")
        exiting.waitForExit()
        let exitedPID = try readPID(exitedPIDFile)
        let exitedRow = try waitForRow(daemon, ["top", "--exited", "--pid", String(exitedPID)]) { _ in true }
        XCTAssertEqual(exitedRow["comm"] as? String, "sh")
        XCTAssertEqual(exitedRow["exit_code"] as? Int, 5)
        XCTAssertEqual(exitedRow["user"] as? String, "root")
        XCTAssertEqual(exitedRow["ppid"] as? Int, 0, "its parent, nsenter, is outside the namespace: \(exitedRow)")
        XCTAssertGreaterThan((exitedRow["totals"] as? [String: Any])?["syscalls"] as? Int ?? 0, 0, "\(exitedRow)")

        // No row claims a host pid: every live row is a process of the namespace (its pids as
        // the host's /proc lists them in NSpid), and no pid, live or exited, is above the latest
        // the namespace handed out (host pids are far above on any running machine).
        let probePIDFile = daemon.directory.appendingPathComponent("probe.pid").path
        try SpawnedProcess(inNamespaceOf: initPID, script: "echo $$ > \(probePIDFile)").waitForExit()
        let highestPID = try readPID(probePIDFile)
        try daemon.waitForNextCollection()
        let everyLive = try rows(daemon, ["top", "--total", "--limit", "1000"])
        let inNamespace = namespacePIDs(namespace)
        XCTAssertTrue(everyLive.contains { $0["pid"] as? Int == livePID }, "\(everyLive)")
        for row in everyLive {
            let pid = row["pid"] as? Int ?? -1
            XCTAssertTrue(inNamespace.contains(pid) || row["state"] as? String == "exited", "row of a pid not in the namespace \(inNamespace): \(row)")
            XCTAssertNotNil(row["user"] as? String, "every live row has its user: \(row)")
        }
        let everyExited = try rows(daemon, ["top", "--exited", "--limit", "1000"])
        XCTAssertTrue(everyExited.contains { $0["pid"] as? Int == exitedPID }, "\(everyExited)")
        for row in everyLive + everyExited {
            XCTAssertLessThanOrEqual(row["pid"] as? Int ?? Int.max, highestPID, "a host pid in a row: \(row)")
            XCTAssertLessThanOrEqual(row["ppid"] as? Int ?? 0, highestPID, "a host pid as parent: \(row)")
        }
        XCTAssertFalse((everyLive + everyExited).contains { $0["pid"] as? Int == Int(getpid()) }, "this runner is outside the namespace")

        // Outside processes still count in the system-wide figures (printed: the share is load-dependent).
        let metrics = try daemon.call("metrics.get")
        print("in namespace: \(inNamespace.sorted()), live rows \(everyLive.count), exited rows \(everyExited.count), "
            + "highest namespace pid \(highestPID), system syscall rate \(metrics["syscall_rate"] ?? "?")/s")
    }

    /// In a cgroup namespace too (a container's), cgroups its /sys/fs/cgroup does not reach, such
    /// as the host's root cgroup where kernel threads run, are marked outside the namespace, never
    /// reported as removed; the namespace's own root is named `/`.
    func testHostCgroupsAreOutsideTheNamespaceNotRemoved() throws {
        let mountPoint = try XCTUnwrap(cgroup2MountPoint(), "no cgroup2 hierarchy mounted")
        let cgroup = "\(mountPoint)/smoothtask-e2e-\(getpid())"
        try XCTSkipUnless(mkdir(cgroup, 0o755) == 0, "cannot create \(cgroup): \(String(cString: strerror(errno)))")
        defer { rmdir(cgroup) }
        // The wrapper moves itself into the test's cgroup, then the namespace's init mounts the
        // cgroup2 file system again, which inside the new cgroup namespace shows only that cgroup.
        var wrapper = Self.namespaceWrapper
        wrapper[2] = "echo $$ > \(cgroup)/cgroup.procs || exit 1\n" + wrapper[2]
            .replacingOccurrences(of: "--pid --fork", with: "--cgroup --pid --fork")
            .replacingOccurrences(
                of: "/bin/sh -c '\"$@\" & wait'",
                with: "/bin/sh -c 'umount \(mountPoint) && mount -t cgroup2 none \(mountPoint) && { \"$@\" & wait; }'")
        let daemon = try DaemonProcess(extraArguments: ["--interval", "500ms"], wrapper: wrapper)
        defer { daemon.stop() }

        var outside: [[String: Any]] = []
        var named: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(Self.arrivalSeconds)
        while Date() < deadline, outside.isEmpty || named.isEmpty {
            let report = try daemon.controlJSON(["cgroups", "--limit", "1000"])
            guard report["source"] as? String == "ebpf" else {
                throw XCTSkip("cgroup_cpu is not running here: \(report)")
            }
            let rows = report["cgroups"] as? [[String: Any]] ?? []
            for row in rows where row["cgroup"] is NSNull {
                XCTAssertEqual(row["outside_namespace"] as? Bool, true, "a nameless cgroup here is outside, not removed: \(row)")
            }
            outside += rows.filter { $0["outside_namespace"] as? Bool == true }
            named += rows.filter { $0["cgroup"] as? String == "/" }
            usleep(300_000)
        }
        XCTAssertFalse(named.isEmpty, "the daemon's own cgroup is the namespace's root, /")
        XCTAssertFalse(outside.isEmpty, "the rest of the machine ran in cgroups outside the namespace")
        let text = try daemon.control(["cgroups", "--limit", "1000"])
        XCTAssertFalse(text.stdout.contains("removed cgroup"), text.stdout)
        print("outside the cgroup namespace: ids \(Set(outside.compactMap { $0["id"] as? Int }).sorted())\n" + text.stdout)
    }

    // MARK: - Helpers

    /// Where the cgroup v2 hierarchy is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems).
    private func cgroup2MountPoint() -> String? {
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mountinfo.split(separator: "\n").lazy.compactMap { line -> String? in
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2, halves[1].hasPrefix("cgroup2 ") else { return nil }
            let fields = halves[0].split(separator: " ")
            return fields.count >= 5 ? String(fields[4]) : nil
        }.first
    }

    /// Skips unless the exit program is attached (it needs BTF and tp_btf/sched_process_exit).
    private func requireLifecycleProgram(_ daemon: DaemonProcess) throws {
        let status = try daemon.controlJSON(["status"])
        let programs = (status["ebpf"] as? [String: Any])?["programs"] as? [[String: Any]] ?? []
        guard let lifecycle = programs.first(where: { $0["name"] as? String == "process_lifecycle" }),
            lifecycle["attached"] as? Bool == true
        else { throw XCTSkip("process_lifecycle is not attached here: \(programs)\n\(daemon.log)") }
    }

    /// The namespace's pid 1 (the waiting shell), as the host numbers it: outer shell -> unshare -> it.
    private func namespaceInit(of daemon: DaemonProcess) throws -> pid_t {
        let unshare = try XCTUnwrap(children(of: daemon.pid).first, "no unshare under the wrapper")
        return try XCTUnwrap(children(of: unshare).first, "no namespace init under unshare")
    }

    private func children(of pid: pid_t) -> [pid_t] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0) }
    }

    private func namespaceInode(of pid: pid_t) throws -> UInt64 {
        var info = stat()
        guard stat("/proc/\(pid)/ns/pid", &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return UInt64(info.st_ino)
    }

    /// The pids, as the namespace numbers them, of every process of the pid namespace `inode`:
    /// the last field of NSpid in the host's /proc.
    private func namespacePIDs(_ inode: UInt64) -> Set<Int> {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var pids: Set<Int> = []
        for entry in entries {
            guard let pid = pid_t(entry), (try? namespaceInode(of: pid)) == inode,
                let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
                let inner = line.split(whereSeparator: \.isWhitespace).last.flatMap({ Int($0) })
            else { continue }
            pids.insert(inner)
        }
        return pids
    }

    /// A pid a process inside the namespace wrote (its `$$`), once the file is complete.
    private func readPID(_ path: String) throws -> Int {
        let deadline = Date().addingTimeInterval(Self.arrivalSeconds)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if text.hasSuffix("\n"), let pid = Int(text.dropLast()) { return pid }
            usleep(20_000)
        }
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }

    private func rows(_ daemon: DaemonProcess, _ arguments: [String]) throws -> [[String: Any]] {
        try daemon.controlJSON(arguments)["processes"] as? [[String: Any]] ?? []
    }

    /// Polls `smoothtaskctl arguments` until its first row satisfies `accept`.
    private func waitForRow(_ daemon: DaemonProcess, _ arguments: [String], accept: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(Self.arrivalSeconds)
        var last: [[String: Any]] = []
        while Date() < deadline {
            last = try rows(daemon, arguments)
            if let row = last.first, accept(row) { return row }
            usleep(100_000)
        }
        return try XCTUnwrap(nil, "smoothtaskctl \(arguments) never listed the row; last: \(last)\n\(daemon.log)")
    }
}
