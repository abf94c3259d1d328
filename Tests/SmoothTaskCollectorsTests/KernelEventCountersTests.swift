#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

@testable import SmoothTaskCollectors

/// The kernel counters the overhead budget takes hook rates from, against load this test makes.
final class KernelEventCountersTests: XCTestCase {
    func testContextSwitchesAndPageFaultsCountAtLeastTheLoadMadeHere() throws {
        let before = try Self.readNow()
        // Each 1 µs sleep blocks and wakes this thread: at least one switch away and one back.
        let sleeps = 500
        for _ in 0..<sleeps { usleep(1) }
        // Each fresh page of a new mapping faults once when first written.
        let pages = 2000
        let size = pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try XCTUnwrap(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(memory, size) }
        for page in 0..<pages { memory.storeBytes(of: 1, toByteOffset: page * Int(sysconf(Int32(_SC_PAGESIZE))), as: UInt8.self) }
        let after = try Self.readNow()

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
        XCTAssertEqual(HookEvent(hook: "tp_btf/sched_wakeup_new"), .processLifecycle, "once per new task, not per switch")
        XCTAssertEqual(HookEvent(hook: "tp_btf/sched_process_exec"), .processLifecycle)
        XCTAssertEqual(HookEvent(hook: "tp_btf/page_fault_user"), .pageFault)
        XCTAssertEqual(HookEvent(hook: "tp_btf/block_rq_issue"), .uncounted)
        // Every program the bench measured has a figure under its object and tracepoint.
        XCTAssertEqual(BenchPerEventCosts.figure(object: "syscalls", hook: "tp_btf/sys_exit"), 71.0)
        XCTAssertNil(BenchPerEventCosts.figure(object: "syscalls", hook: "raw_tp/sys_enter"), "no syscalls program on sys_enter")
        XCTAssertNil(BenchPerEventCosts.figure(object: "memory_events", hook: "tp_btf/mark_victim"))
        XCTAssertEqual(
            Set(OverheadGovernor.sheddable.keys),
            ["cpu_metrics", "syscalls", "memory_events", "sched_latency", "disk_metrics", "network_metrics", "cgroup_cpu"],
            "process_lifecycle is never shed"
        )
    }

    /// sched_latency's three hooks under a switch storm that forks nothing (what `stress-ng --switch`
    /// makes once started): sched_switch and sched_wakeup are charged at the switch rate, and
    /// sched_wakeup_new, at 1136 ns a run the dearest of them, at the fork rate, 0. It used to be
    /// charged at the switch rate too: 1,000,000 switches/s × 1136.3 ns = 113.6% of one CPU.
    func testASwitchStormWithoutForksDoesNotChargeWakeupNew() throws {
        let before = KernelEventCounters(contextSwitches: 7_000_000, forks: 40_000, pageFaults: 9_000, takenAtNanoseconds: 5_000_000_000)
        let storm = KernelEventCounters(contextSwitches: 8_000_000, forks: 40_000, pageFaults: 9_000, takenAtNanoseconds: 6_000_000_000)
        func percent(_ hook: String, _ now: KernelEventCounters) throws -> Double {
            let rate = try XCTUnwrap(HookEvent(hook: hook).rate(now, since: before, syscallsPerSecond: nil), hook)
            let cost = try XCTUnwrap(BenchPerEventCosts.figure(object: SchedLatencyProgram.name, hook: hook), hook)
            return OverheadGovernor.percent(eventsPerSecond: rate, nanosecondsPerEvent: cost)
        }
        XCTAssertEqual(try percent("tp_btf/sched_wakeup_new", storm), 0)
        XCTAssertEqual(try percent("tp_btf/sched_switch", storm), 7.33, accuracy: 1e-9, "1e6/s × 73.3 ns, its share of the one program")
        XCTAssertEqual(try percent("tp_btf/sched_wakeup", storm), 9.02, accuracy: 1e-9, "1e6/s × 90.2 ns")
        // 500 forks in that second charge it 500 × 1136.3 ns.
        var forking = storm
        forking.forks = 40_500
        XCTAssertEqual(try percent("tp_btf/sched_wakeup_new", forking), 0.056815, accuracy: 1e-9)

        // The same against the real kernel: two threads started before the first reading hand a
        // byte back and forth, thousands of switches and no fork of ours.
        var toHelper: [Int32] = [0, 0]
        var toMain: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&toHelper), 0)
        XCTAssertEqual(pipe(&toMain), 0)
        defer { for descriptor in toHelper + toMain { close(descriptor) } }
        let rounds = 5000
        let ready = DispatchSemaphore(value: 0)
        let helper = Thread { [toHelper, toMain] in
            var byte: UInt8 = 0
            ready.signal()
            for _ in 0..<rounds {
                guard read(toHelper[0], &byte, 1) == 1, write(toMain[1], &byte, 1) == 1 else { return }
            }
        }
        helper.start()
        ready.wait()
        let start = try Self.readNow()
        var byte: UInt8 = 1
        for _ in 0..<rounds {
            guard write(toHelper[1], &byte, 1) == 1, read(toMain[0], &byte, 1) == 1 else { return XCTFail("pipe: \(errno)") }
        }
        let end = try Self.readNow()
        let switches = try XCTUnwrap(HookEvent(hook: "tp_btf/sched_switch").rate(end, since: start, syscallsPerSecond: nil))
        let wakeupNew = try XCTUnwrap(HookEvent(hook: "tp_btf/sched_wakeup_new").rate(end, since: start, syscallsPerSecond: nil))
        let forks = try XCTUnwrap(end.rate(\.forks, since: start))
        print("ping-pong of \(rounds): sched_switch \(Int(switches))/s, sched_wakeup_new \(Int(wakeupNew))/s (forks machine-wide)")
        XCTAssertEqual(wakeupNew, forks, "sched_wakeup_new's rate is the fork rate")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(end.contextSwitches) - (try XCTUnwrap(start.contextSwitches)), UInt64(rounds))
    }

    /// Both files read now, as a collection and its evaluation would.
    private static func readNow() throws -> KernelEventCounters {
        KernelEventCounters.read(stat: (try ProcStatActivity.read(), Clock.monotonicNanoseconds()))
    }
}
