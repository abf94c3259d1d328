import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import XCTest

@testable import SmoothTaskCollectors

/// The Swift mirrors must have the sizes of the C structs the kernel programs write. Opening an
/// object needs no privilege: libbpf reads the value sizes from the object's BTF.
final class StructLayoutTests: XCTestCase {
    func testCPUSwitchAccountingMatchesCStruct() throws {
        let object = try BPFObject(name: "cpu_metrics", elfBytes: EmbeddedBPFObject.cpuMetrics.elfBytes, logger: TestSupport.logger)
        XCTAssertEqual(try object.map(named: "cpu_accounting").valueSize, MemoryLayout<CPUSwitchAccounting>.size)
        XCTAssertEqual(try object.map(named: "process_cpu_ns").keySize, MemoryLayout<UInt32>.size)
        XCTAssertEqual(try object.map(named: "process_cpu_ns").valueSize, MemoryLayout<UInt64>.size)
    }

    func testSyscallTotalsMatchesCStruct() throws {
        let object = try BPFObject(name: "syscalls", elfBytes: EmbeddedBPFObject.syscalls.elfBytes, logger: TestSupport.logger)
        XCTAssertEqual(try object.map(named: "syscall_totals").valueSize, MemoryLayout<SyscallTotals>.size)
    }

    func testSyscallDetailKeysMatchCStructs() throws {
        let object = try BPFObject(name: "syscalls", elfBytes: EmbeddedBPFObject.syscalls.elfBytes, logger: TestSupport.logger)
        XCTAssertEqual(try object.map(named: "syscall_failures").keySize, MemoryLayout<SyscallFailureKey>.size)
        XCTAssertEqual(try object.map(named: "syscall_counts").valueSize, MemoryLayout<UInt64>.size)
    }

    func testMemoryEventStructsMatchCStructs() throws {
        let object = try BPFObject(name: "memory_events", elfBytes: EmbeddedBPFObject.memoryEvents.elfBytes, logger: TestSupport.logger)
        XCTAssertEqual(try object.map(named: "memory_totals").valueSize, MemoryLayout<MemoryEventTotals>.size)
        XCTAssertEqual(try object.map(named: "process_memory").valueSize, MemoryLayout<ProcessMemoryEvents>.size)
        XCTAssertEqual(try object.map(named: "oom_victims").valueSize, MemoryLayout<OOMVictimRecord>.size)
        XCTAssertEqual(try object.map(named: "oom_victims").maxEntries, MemoryEventsProgram.oomSlots)
    }
}
