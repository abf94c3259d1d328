import Foundation
import XCTest

/// A throwaway memory cgroup with a hard limit (cgroup v2 `memory.max`, or v1 `memory.limit_in_bytes`),
/// removed when released. Skips the test when this machine cannot make one.
final class MemoryCgroup {
    private let directory: String
    private let isVersion2: Bool

    init(limitBytes: Int) throws {
        let name = "smoothtask-test-\(getpid())"
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
            isVersion2 = true
            directory = "/sys/fs/cgroup/\(name)"
        } else if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.limit_in_bytes") {
            isVersion2 = false
            directory = "/sys/fs/cgroup/memory/\(name)"
        } else {
            throw XCTSkip("no memory cgroup controller mounted at /sys/fs/cgroup")
        }
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
            throw XCTSkip("cannot create \(directory): \(String(cString: strerror(errno))) (run the suite as root)")
        }
        try write(String(limitBytes), to: isVersion2 ? "memory.max" : "memory.limit_in_bytes")
    }

    /// Writing a pid here moves that process into the cgroup.
    var procsPath: String { "\(directory)/cgroup.procs" }

    /// Times the limit was hit: v1 `memory.failcnt`, v2 `memory.events` max.
    func limitHits() throws -> UInt64 {
        isVersion2 ? try field("max", in: "memory.events") : try UInt64(read("memory.failcnt")) ?? 0
    }

    /// OOM kills inside the cgroup: `oom_kill` of v1 `memory.oom_control` or v2 `memory.events`.
    func oomKills() throws -> UInt64 {
        try field("oom_kill", in: isVersion2 ? "memory.events" : "memory.oom_control")
    }

    deinit {
        rmdir(directory)
    }

    private func field(_ name: String, in file: String) throws -> UInt64 {
        let line = try read(file).split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { UInt64($0.split(separator: " ").last ?? "") } ?? 0
    }

    private func read(_ file: String) throws -> String {
        try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func write(_ value: String, to file: String) throws {
        try value.write(toFile: "\(directory)/\(file)", atomically: false, encoding: .utf8)
    }
}
