import Foundation
import XCTest

/// Per-cgroup attribution against the kernel's own accounting: a spinner in a cgroup made for the
/// test, its CPU time from cgroups.top vs the cgroup's cpu.stat usage_usec.
final class CgroupAttributionTests: XCTestCase {
    override func setUpWithError() throws {
        guard geteuid() == 0 else {
            throw XCTSkip("needs root to load eBPF and create a cgroup: run the suite as root (make test does)")
        }
    }

    func testASpinnerInItsOwnCgroupIsChargedWhatTheKernelCharges() throws {
        let root = try XCTUnwrap(Self.cgroup2MountPoint(), "no cgroup2 mount in /proc/self/mountinfo")
        let name = "smoothtask-test-\(UUID().uuidString.prefix(8))"
        let directory = root + "/" + name
        guard mkdir(directory, 0o755) == 0 else { throw XCTSkip("cannot create \(directory): errno \(errno)") }
        defer { rmdir(directory) }

        let daemon = try DaemonProcess(extraArguments: ["--interval", "250ms"])
        // The shell moves itself into the cgroup, then becomes a 1.5 s spinner there.
        let spinner = try CommandResult.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "echo $$ > \"$0/cgroup.procs\" && exec timeout 1.5 sh -c 'while :; do :; done'", directory]
        )
        XCTAssertEqual(spinner.status, 124, "timeout ends the spinner: \(spinner.stderr)")
        let kernelMicroseconds = try Self.usageMicroseconds(directory)
        XCTAssertGreaterThan(kernelMicroseconds, 100_000, "the spinner ran")
        Thread.sleep(forTimeInterval: 0.6)  // at least one collection after the spinner exited

        let report = try daemon.controlJSON(["cgroups", "--limit", "1000"])
        XCTAssertEqual(report["source"] as? String, "ebpf", "\(report)")
        let rows = try XCTUnwrap(report["cgroups"] as? [[String: Any]])
        let row = try XCTUnwrap(rows.first { $0["cgroup"] as? String == "/" + name }, "no row for /\(name) in \(rows)")
        let chargedNanoseconds = Double(try XCTUnwrap(row["cpu_total_ns"] as? Int))
        let kernelNanoseconds = Double(kernelMicroseconds) * 1000
        print("cgroup attribution: eBPF \(chargedNanoseconds / 1e6) ms, cpu.stat \(kernelNanoseconds / 1e6) ms")
        // Both count the same on-CPU time; they differ by where each cuts the spinner's first and
        // last slices (the shell's own echo, exec), a few milliseconds.
        XCTAssertEqual(chargedNanoseconds, kernelNanoseconds, accuracy: max(20e6, kernelNanoseconds * 0.02))
        XCTAssertEqual(row["id"] as? Int, Int(try Self.inode(directory)), "the cgroup id is its directory's inode")

        let text = try daemon.control(["cgroups", "--by", "unit", "--limit", "1000"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("/" + name), text.stdout)
    }

    static func cgroup2MountPoint() -> String? {
        guard let mountinfo = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        for line in mountinfo.split(separator: "\n") where line.contains(" - cgroup2 ") {
            return line.split(separator: " ").dropFirst(4).first.map(String.init)
        }
        return nil
    }

    static func usageMicroseconds(_ directory: String) throws -> Int {
        let stat = try String(contentsOfFile: directory + "/cpu.stat", encoding: .utf8)
        let line = try XCTUnwrap(stat.split(separator: "\n").first { $0.hasPrefix("usage_usec ") })
        return try XCTUnwrap(Int(line.dropFirst("usage_usec ".count)))
    }

    static func inode(_ path: String) throws -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw XCTSkip("cannot stat \(path)") }
        return UInt64(info.st_ino)
    }
}
