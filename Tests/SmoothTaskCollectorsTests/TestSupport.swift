#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import SmoothTaskBPF
import SmoothTaskModel
import Synchronization
import XCTest

@testable import SmoothTaskCollectors

/// A thread that keeps one CPU busy until stopped.
final class Spinner: Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    init() {
        let thread = Thread { [self] in
            var counter: UInt64 = 0
            while !stopRequested.load(ordering: .relaxed) { counter &+= 1 }
            stopped.store(true, ordering: .releasing)
        }
        thread.start()
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        while !stopped.load(ordering: .acquiring) { usleep(1000) }
    }
}

enum TestSupport {
    static let logger: Logger = {
        var logger = Logger(label: "SmoothTaskCollectorsTests")
        logger.logLevel = .info
        return logger
    }()

    /// Skips the calling test when this process lacks the privilege to load eBPF, with the kernel's
    /// answer. Any other reason eBPF cannot run here is left to fail the test.
    static func skipUnlessPermittedToLoadEbpf() throws {
        guard let refusal = BPFPermissionProbe.tracingProgramLoadError(), refusal.isPermissionDenied else { return }
        let reason = EbpfMetricsCollector.checkEbpfSupport().reason ?? refusal.description
        throw XCTSkip("needs CAP_BPF and CAP_PERFMON: run the suite as root (\(reason))")
    }

    /// A collector with both programs loaded and attached, or a skip saying why eBPF cannot run.
    static func initializedCollector(config: EbpfConfig = .defaults) async throws -> EbpfMetricsCollector {
        try skipUnlessPermittedToLoadEbpf()
        let collector = EbpfMetricsCollector(logger: logger)
        try await collector.initialize(config: config)
        return collector
    }

    static func sleep(seconds: Double) {
        usleep(UInt32(seconds * 1_000_000))
    }

    /// This process's user+system CPU time, in USER_HZ ticks, from /proc/self/stat.
    static func ownCPUTicks() throws -> UInt64 {
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        // Fields after the parenthesised comm: state is field 3, utime 14, stime 15.
        let afterComm = stat[stat.range(of: ")", options: .backwards)!.upperBound...]
        let fields = afterComm.split(separator: " ")
        return UInt64(fields[11])! + UInt64(fields[12])!
    }

    /// BPF links to tracepoint `name` (e.g. `sys_exit`) this process holds, from /proc/self/fdinfo:
    /// tp_btf and raw_tp links both show as `link_type: raw_tracepoint` with a `tp_name:` line.
    static func ownBPFLinks(toTracepoint name: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                target == "anon_inode:bpf_link",
                let info = try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8)
            else { return false }
            return info.contains("link_type:\traw_tracepoint\n") && info.contains("tp_name:\t\(name)\n")
        }.count
    }

    /// The kernel's run counters of each program this process has linked to tracepoint `name`, from
    /// /proc/self/fdinfo: the link's `prog_id`, then that program's `run_cnt` and `run_time_ns`.
    static func ownProgramStatistics(linkedTo name: String) throws -> [BPFRuntimeStatistics] {
        var linked: Set<Substring> = []
        var programs: [Substring: BPFRuntimeStatistics] = [:]
        for fd in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                let info = try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8)
            else { continue }
            var fields: [Substring: Substring] = [:]
            for line in info.split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1)
                if parts.count == 2 { fields[parts[0].dropLast()] = parts[1] }
            }
            guard let id = fields["prog_id"] else { continue }
            if target == "anon_inode:bpf_link", fields["tp_name"] == Substring(name) { linked.insert(id) }
            if target == "anon_inode:bpf-prog", let runs = fields["run_cnt"].flatMap({ UInt64($0) }),
                let time = fields["run_time_ns"].flatMap({ UInt64($0) }) {
                programs[id] = BPFRuntimeStatistics(runCount: runs, runTimeNanoseconds: time)
            }
        }
        return linked.compactMap { programs[$0] }
    }

    static let userHZ = Double(sysconf(Int32(_SC_CLK_TCK)))
}
