import CSmoothTaskBPFTypes
import XCTest
@testable import SmoothTaskCollectors

/// The window arithmetic of exits, without the kernel: records and readings built by hand.
final class ProcessLedgerTests: XCTestCase {
    /// Pids no process can have (above the largest pid_max), so they read as gone.
    private static let goneA: UInt32 = 4_194_400, goneB: UInt32 = 4_194_401

    private func reading(_ perProcess: [UInt32: ProcessCounters], startedAt boottime: UInt64) -> ProcessCountersReading {
        ProcessCountersReading(
            perProcess: perProcess, schedSwitch: SchedSwitchSnapshot(slots: [], processNanoseconds: [:], now: 0),
            startedBoottimeNanoseconds: boottime
        )
    }

    private func exit(_ pid: UInt32, cpu: UInt64, syscalls: UInt64, at boottime: UInt64) -> ExitedProcess {
        var record = ProcessExitRecord()
        record.pid = pid
        record.start_ns = 1_000
        record.exit_ns = boottime
        record.totals.cpu_ns = cpu
        record.totals.syscalls = syscalls
        withUnsafeMutableBytes(of: &record.comm) { $0.copyBytes(from: Array("job".utf8)) }
        return ExitedProcess(record)
    }

    private func counters(cpu: UInt64, syscalls: UInt64) -> ProcessCounters {
        var counters = ProcessCounters()
        counters.cpuNanoseconds = cpu
        counters.syscalls = syscalls
        return counters
    }

    func testAnExitLandsInItsWindowMinusWhatEarlierWindowsCounted() {
        var ledger = ProcessLedger()
        var recent = RecentExits(capacity: 10)
        ledger.restart(at: reading([Self.goneA: counters(cpu: 100, syscalls: 10)], startedAt: 10_000))
        let window = ledger.advance(
            to: reading([:], startedAt: 20_000), exits: [exit(Self.goneA, cpu: 250, syscalls: 40, at: 15_000)], recent: &recent
        )
        XCTAssertEqual(window.exited.count, 1)
        XCTAssertEqual(window.exited.first?.window, counters(cpu: 150, syscalls: 30), "what it did since the previous reading")
        XCTAssertEqual(window.exited.first?.process.totals, counters(cpu: 250, syscalls: 40), "its whole life")
        XCTAssertEqual(window.exited.first?.process.comm, "job")
        XCTAssertEqual(recent.processes.map(\.pid), [Self.goneA])
    }

    func testAnExitAfterTheReadingBeganWaitsForTheNextWindow() {
        var ledger = ProcessLedger()
        var recent = RecentExits(capacity: 10)
        ledger.restart(at: reading([Self.goneA: counters(cpu: 100, syscalls: 10)], startedAt: 10_000))
        let first = ledger.advance(
            to: reading([Self.goneA: counters(cpu: 180, syscalls: 20)], startedAt: 20_000),
            exits: [exit(Self.goneA, cpu: 200, syscalls: 22, at: 20_500)], recent: &recent
        )
        XCTAssertTrue(first.exited.isEmpty, "it was still running when the reading began")
        XCTAssertEqual(first.live[Self.goneA], counters(cpu: 80, syscalls: 10))
        let second = ledger.advance(to: reading([:], startedAt: 30_000), exits: [], recent: &recent)
        XCTAssertEqual(second.exited.first?.window, counters(cpu: 20, syscalls: 2), "the rest, in the next window")
        XCTAssertEqual(recent.count, 1)
    }

    func testTwoRecordsOfOneExitAreOneProcessAndLeftoversJoinIt() {
        var ledger = ProcessLedger()
        var recent = RecentExits(capacity: 10)
        ledger.restart(at: reading([:], startedAt: 10_000))
        let record = exit(Self.goneB, cpu: 300, syscalls: 5, at: 15_000)
        // Two threads saw the process die; its last switch re-created the CPU entry with 7 ns.
        let window = ledger.advance(
            to: reading([Self.goneB: counters(cpu: 7, syscalls: 0)], startedAt: 20_000),
            exits: [record, exit(Self.goneB, cpu: 290, syscalls: 5, at: 15_001)], recent: &recent
        )
        XCTAssertEqual(window.exited.count, 1)
        XCTAssertEqual(window.exited.first?.window, counters(cpu: 307, syscalls: 5))
        XCTAssertEqual(window.leftovers, [Self.goneB], "the re-created entry is to be deleted")
        XCTAssertNil(window.live[Self.goneB], "not a live process")
        XCTAssertEqual(recent.processes.first?.totals, counters(cpu: 307, syscalls: 5))
    }

    func testTheRecentListKeepsTheNewestAndCountsEveryExit() {
        var recent = RecentExits(capacity: 3)
        for pid in UInt32(1)...5 { recent.append(exit(pid, cpu: 1, syscalls: 1, at: UInt64(pid))) }
        XCTAssertEqual(recent.processes.map(\.pid), [3, 4, 5])
        XCTAssertEqual(recent.seen, 5)
        XCTAssertGreaterThan(recent.memoryBytes, 0)
    }
}
