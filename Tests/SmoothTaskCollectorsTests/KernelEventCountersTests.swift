#if canImport(Glibc)
import Glibc
#endif
import XCTest

@testable import SmoothTaskCollectors

/// The kernel counters the overhead budget takes hook rates from, against load this test makes.
final class KernelEventCountersTests: XCTestCase {
    func testContextSwitchesAndPageFaultsCountAtLeastTheLoadMadeHere() throws {
        let before = KernelEventCounters.read()
        // Each 1 µs sleep blocks and wakes this thread: at least one switch away and one back.
        let sleeps = 500
        for _ in 0..<sleeps { usleep(1) }
        // Each fresh page of a new mapping faults once when first written.
        let pages = 2000
        let size = pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try XCTUnwrap(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(memory, size) }
        for page in 0..<pages { memory.storeBytes(of: 1, toByteOffset: page * Int(sysconf(Int32(_SC_PAGESIZE))), as: UInt8.self) }
        let after = KernelEventCounters.read()

        let switches = try XCTUnwrap(after.contextSwitches) - (try XCTUnwrap(before.contextSwitches))
        let faults = try XCTUnwrap(after.pageFaults) - (try XCTUnwrap(before.pageFaults))
        print("ctxt +\(switches) for \(sleeps) sleeps, pgfault +\(faults) for \(pages) pages")
        XCTAssertGreaterThanOrEqual(switches, UInt64(2 * sleeps))
        XCTAssertGreaterThanOrEqual(faults, UInt64(pages))
        XCTAssertNotNil(after.rate(\.contextSwitches, since: before))
        XCTAssertNotNil(after.forks)
    }

    func testAValueIsTheWholeNumberOnItsOwnLineAndNothingElse() throws {
        let stat = "cpu  1 2 3\nintr 9 1 2\nctxt 123456789\nbtime 1\nprocesses 42\nprocs_running 3\n"
        XCTAssertEqual(ProcFile.number(after: "ctxt", in: stat), 123_456_789)
        XCTAssertEqual(ProcFile.number(after: "processes", in: stat), 42)
        XCTAssertEqual(ProcFile.number(after: "procs_running", in: stat), 3)
        XCTAssertNil(ProcFile.number(after: "procs", in: stat), "a name is matched whole, not as a prefix")
        XCTAssertNil(ProcFile.number(after: "running", in: stat), "a name starts its line")
        XCTAssertNil(ProcFile.number(after: "pgfault", in: stat))
        XCTAssertEqual(ProcFile.number(after: "pgfault", in: "pgmajfault 7\npgfault 5"), 5, "the last line needs no newline")
        XCTAssertNil(ProcFile.number(after: "pgfault", in: "pgfault 5x\n"))
        XCTAssertNil(ProcFile.number(after: "pgfault", in: "pgfault 99999999999999999999999\n"), "overflow")
        XCTAssertEqual(ProcFile.number(after: "MemTotal:", in: "MemTotal:       16318768 kB\nMemFree:  1 kB\n"), 16_318_768)
        XCTAssertEqual(ProcFile.number(after: "MemFree:", in: "MemTotal:       16318768 kB\nMemFree:  1 kB\n"), 1)
        // Against the real files, as the old line-splitting parse read them.
        let vmstat = try String(contentsOfFile: "/proc/vmstat", encoding: .utf8)
        let line = try XCTUnwrap(vmstat.split(separator: "\n").first { $0.hasPrefix("pgfault ") })
        let expected = try XCTUnwrap(UInt64(line.dropFirst("pgfault ".count)))
        XCTAssertEqual(ProcFile.number(after: "pgfault", in: vmstat), expected)
    }

    func testEveryHookOfEveryProgramMapsToItsCounter() {
        XCTAssertEqual(HookEvent(hook: "raw_tp/sys_enter"), .syscall)
        XCTAssertEqual(HookEvent(hook: "raw_tp/sys_exit"), .syscall)
        XCTAssertEqual(HookEvent(hook: "tp_btf/sched_switch"), .contextSwitch)
        XCTAssertEqual(HookEvent(hook: "tp_btf/sched_wakeup"), .contextSwitch)
        XCTAssertEqual(HookEvent(hook: "tp_btf/sched_process_exec"), .processLifecycle)
        XCTAssertEqual(HookEvent(hook: "tp_btf/page_fault_user"), .pageFault)
        XCTAssertEqual(HookEvent(hook: "tp_btf/block_rq_issue"), .uncounted)
        // Every program the bench measured has a figure under its object and tracepoint.
        XCTAssertEqual(BenchPerEventCosts.figure(object: "syscalls", hook: "raw_tp/sys_enter"), 79.7)
        XCTAssertNil(BenchPerEventCosts.figure(object: "memory_events", hook: "tp_btf/mark_victim"))
        XCTAssertEqual(
            Set(OverheadGovernor.sheddable.keys),
            ["cpu_metrics", "syscalls", "memory_events", "sched_latency", "disk_metrics", "network_metrics", "cgroup_cpu"],
            "process_lifecycle is never shed"
        )
    }
}
