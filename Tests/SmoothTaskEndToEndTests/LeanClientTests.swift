import Foundation
import SmoothTaskHostChecks
import XCTest

/// `smoothtaskctl` is an unprivileged client: it links neither libbpf nor full Foundation, and without
/// a daemon `check` makes only the checks that need no bpf() (issue 12).
final class LeanClientTests: XCTestCase {
    /// Libraries the client must not load: the kernel side (libbpf and what it pulls) and full
    /// Foundation with ICU, whose load would triple its start-up time.
    static let forbiddenLibraries = [
        "libbpf", "libelf", "libz.so", "libFoundation.so", "libFoundationInternationalization", "ICU",
    ]
    /// Every library the client may load: the C and C++ runtimes, the Swift runtime with
    /// FoundationEssentials, and ncurses for the full-screen top and watch (issue 18).
    static let allowedLibraryPrefixes = [
        "linux-vdso", "ld-linux", "libc.so", "libm.so", "libpthread", "libdl.so", "librt.so", "libutil", "libstdc++", "libgcc_s",
        "libswift", "libBlocksRuntime", "libdispatch", "libFoundationEssentials", "lib_Foundation",
        "libncursesw", "libtinfo",
    ]
    /// setpriv(1) as `nobody`, with no capabilities: how an ordinary user runs the client.
    static let asNobody = [
        "/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
    ]

    func testClientLinksNeitherLibBPFNorFullFoundation() throws {
        try Binaries.requireBuilt()
        let ldd = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/ldd"), [Binaries.control.path])
        print("ldd \(Binaries.control.path):\n\(ldd.stdout)")
        XCTAssertEqual(ldd.status, 0, ldd.stderr)
        XCTAssertTrue(ldd.stdout.contains("libc.so"), "ldd printed no libraries at all: \(ldd.stdout)")
        for library in Self.forbiddenLibraries {
            let lines = ldd.stdout.split(separator: "\n").filter { $0.contains(library) }
            XCTAssertTrue(lines.isEmpty, "smoothtaskctl loads \(library): \(lines.joined(separator: "; "))")
        }
    }

    func testClientLoadsOnlyTheRuntimesAndNcurses() throws {
        try Binaries.requireBuilt()
        let ldd = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/ldd"), [Binaries.control.path])
        XCTAssertEqual(ldd.status, 0, ldd.stderr)
        let libraries = ldd.stdout.split(separator: "\n").compactMap { $0.split(whereSeparator: \.isWhitespace).first.map(String.init) }
        let names = libraries.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        XCTAssertTrue(names.contains { $0.hasPrefix("libncursesw") }, "the full-screen views need ncursesw: \(names)")
        for name in names {
            XCTAssertTrue(Self.allowedLibraryPrefixes.contains { name.hasPrefix($0) }, "smoothtaskctl loads \(name), not on the allowed list")
        }
    }

    func testCheckWithoutDaemonMakesTheChecksThatNeedNoBPFAndPointsToTheDaemon() throws {
        try Binaries.requireBuilt()
        let socket = try absentSocket()
        let expected: Int32 = HostDiagnostics.run().allSatisfy(\.ok) ? 69 : 1

        let text = try CommandResult.run(Binaries.control, ["check", "--socket", socket], wrapper: Self.asNobody)
        print(text.stdout)
        XCTAssertEqual(text.status, expected, "exit status: \(text.stdout)\n\(text.stderr)")
        XCTAssertTrue(text.stdout.hasPrefix("FAIL  socket"), text.stdout)
        for name in ["kernel", "btf", "tracefs"] {
            XCTAssertTrue(text.stdout.contains("OK    \(name) ") || text.stdout.contains("FAIL  \(name) "), "no \(name) line: \(text.stdout)")
        }
        XCTAssertTrue(text.stdout.contains("Not checked here:") && text.stdout.contains("`sudo smoothtaskd --check`"), text.stdout)
        for name in ["bpf()", "capabilities", "memlock", "libbpf", "libelf", "tracepoint sched_switch"] {
            XCTAssertFalse(text.stdout.contains("  \(name) "), "\(name) needs the daemon's privileges or libbpf: \(text.stdout)")
        }

        let json = try CommandResult.run(Binaries.control, ["check", "--json", "--socket", socket], wrapper: Self.asNobody)
        XCTAssertEqual(json.status, expected, json.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let local = try XCTUnwrap(report["local"] as? [[String: Any]], json.stdout)
        XCTAssertEqual(local.compactMap { $0["name"] as? String }, ["kernel", "btf", "tracefs"])
        XCTAssertTrue(report["daemon"] is NSNull, json.stdout)
        XCTAssertTrue((report["not_checked"] as? String)?.contains("sudo smoothtaskd --check") == true, json.stdout)
    }

    /// The client used to probe bpf(BPF_PROG_LOAD) itself when no daemon answered; now it makes no
    /// bpf() call at all, as any user.
    func testCheckWithoutDaemonMakesNoBPFSyscall() throws {
        try Binaries.requireBuilt()
        let strace = "/usr/bin/strace"
        guard FileManager.default.isExecutableFile(atPath: strace) else {
            throw XCTSkip("strace is not installed (apt-get install strace): cannot watch the client's syscalls")
        }
        let socket = try absentSocket()
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtaskctl-strace-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: trace) }
        let run = try CommandResult.run(
            Binaries.control, ["check", "--socket", socket],
            wrapper: [strace, "-f", "-e", "trace=bpf", "-o", trace.path] + Self.asNobody
        )
        XCTAssertNotEqual(run.status, 0, run.stdout)
        let calls = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n").filter { $0.contains("bpf(") }
        XCTAssertEqual(calls, [], "smoothtaskctl check called bpf()")
    }

    /// A socket path in a fresh directory where nothing listens.
    private func absentSocket() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtask-lean-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory.appendingPathComponent("absent.sock").path
    }
}
