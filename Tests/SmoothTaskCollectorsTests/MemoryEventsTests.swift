#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// Page faults, reclaim stalls and OOM kills against loads of known size and the kernel's own counters.
final class MemoryEventsTests: XCTestCase {
    static let touchedPages = 20_000
    static let tolerance = 0.02
    static let cgroupLimitBytes = 64 << 20

    func testTouchingFreshPagesCountsAtLeastThatManyUserFaults() async throws {
        #if !arch(x86_64)
        throw XCTSkip("exceptions/page_fault_user exists on x86 only")
        #endif
        let collector = try await TestSupport.initializedCollector()
        let pageBytes = Int(ProcPIDStat.pageBytes)
        let length = Self.touchedPages * pageBytes
        let region = try XCTUnwrap(mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        XCTAssertNotEqual(region, MAP_FAILED)
        defer { munmap(region, length) }
        // One fault per 4 KiB page: no huge page may serve several at once.
        _ = madvise(region, length, MADV_NOHUGEPAGE)

        _ = await collector.collectMetrics()
        let before = try XCTUnwrap(ProcPIDStat.read(pid: getpid()))
        for page in 0..<Self.touchedPages { region.storeBytes(of: 1, toByteOffset: page * pageBytes, as: UInt8.self) }
        let after = try XCTUnwrap(ProcPIDStat.read(pid: getpid()))
        let metrics = await collector.collectMetrics()
        let top = await collector.topProcesses(ProcessTopQuery(sort: .faults, pid: getpid()))
        await collector.shutdown()

        let events = try XCTUnwrap(metrics.memory?.events, "\(metrics.memory?.unavailable ?? metrics.unavailable)")
        let own = try XCTUnwrap(events.topFaulting.first { $0.pid == getpid() }, "\(events.topFaulting)")
        let procfs = (after.minorFaults + after.majorFaults) - (before.minorFaults + before.majorFaults)
        print(String(
            format: "user faults for %d fresh pages: ebpf %llu for this process (%+.3f%% vs pages), "
                + "/proc/self/stat minflt+majflt %llu (%+.3f%% vs pages); system-wide %llu in the window",
            Self.touchedPages, own.count, (Double(own.count) / Double(Self.touchedPages) - 1) * 100,
            procfs, (Double(procfs) / Double(Self.touchedPages) - 1) * 100, events.userFaults
        ))
        XCTAssertGreaterThanOrEqual(procfs, UInt64(Self.touchedPages))
        XCTAssertGreaterThanOrEqual(own.count, UInt64(Self.touchedPages))
        // The collector's own threads fault a little in the same window (map reads, JSON): 2%.
        XCTAssertEqual(Double(own.count) / Double(Self.touchedPages) - 1, 0, accuracy: Self.tolerance)
        XCTAssertEqual(top.processes.first?.userFaults, own.count)
        XCTAssertNotNil(metrics.memory?.system)
        XCTAssertEqual(metrics.memory?.system?.source, .procfs)
    }

    func testCgroupLimitCausesReclaimStallsAndAnOOMKill() async throws {
        let cgroup = try MemoryCgroup(limitBytes: Self.cgroupLimitBytes)
        let collector = try await TestSupport.initializedCollector()
        _ = await collector.collectMetrics()

        // Page cache is reclaimable without swap: writing 3x the limit through the cache makes
        // the writer stall in cgroup reclaim again and again.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("smoothtask-reclaim-\(getpid())").path
        defer { unlink(file) }
        let writer = try ChildProcess("echo $$ > \(cgroup.procsPath) && exec dd if=/dev/zero of=\(file) bs=1M count=192 2>/dev/null")
        let writerStatus = writer.wait()
        let reclaim = await collector.collectMetrics()
        let failures = try cgroup.limitHits()

        // Anonymous memory cannot be reclaimed without swap: 4x the limit must end in an OOM kill.
        let hog = try ChildProcess("echo $$ > \(cgroup.procsPath) && exec python3 -c \"x = b'x' * (256 << 20)\"")
        let hogPID = hog.pid
        let hogStatus = hog.wait()
        let oom = await collector.collectMetrics()
        await collector.shutdown()

        XCTAssertEqual(writerStatus, 0, "dd failed")
        let reclaimEvents = try XCTUnwrap(reclaim.memory?.events, "\(reclaim.memory?.unavailable ?? reclaim.unavailable)")
        print(String(
            format: "cgroup reclaim: dd of 192 MiB under a 64 MiB limit: %llu stalls, %.2f ms stalled; memory.failcnt %llu",
            reclaimEvents.reclaimStalls, Double(reclaimEvents.reclaimStallNanoseconds) / 1e6, failures
        ))
        XCTAssertGreaterThan(failures, 0, "the cgroup limit was never hit: nothing to reclaim")
        XCTAssertGreaterThan(reclaimEvents.reclaimStalls, 0)
        XCTAssertGreaterThan(reclaimEvents.reclaimStallNanoseconds, 0)

        let oomEvents = try XCTUnwrap(oom.memory?.events)
        let killsInCgroup = try cgroup.oomKills()
        print("OOM: hog pid \(hogPID) exited \(hogStatus); cgroup oom_kill \(killsInCgroup); "
            + "ebpf oom_kills_total \(oomEvents.oomKillsTotal), recent \(oomEvents.recentOOMKills)")
        guard killsInCgroup > 0 else {
            throw XCTSkip("the kernel did not OOM-kill the hog in the cgroup (exit status \(hogStatus))")
        }
        let victim = try XCTUnwrap(oomEvents.recentOOMKills.first { $0.pid == hogPID }, "\(oomEvents.recentOOMKills)")
        XCTAssertEqual(victim.comm, "python3")
        XCTAssertEqual(victim.uid, getuid())
        XCTAssertGreaterThanOrEqual(oomEvents.oomKillsTotal, killsInCgroup)
    }
}
