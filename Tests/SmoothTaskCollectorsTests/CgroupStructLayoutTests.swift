import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import XCTest

@testable import SmoothTaskCollectors

/// CgroupSwitchState must have the size of bpf/cgroup_cpu.h's struct; libbpf reads it from the BTF.
final class CgroupStructLayoutTests: XCTestCase {
    func testCgroupSwitchStateMatchesCStruct() throws {
        let object = try BPFObject(name: "cgroup_cpu", elfBytes: EmbeddedBPFObject.cgroupCpu.elfBytes, logger: TestSupport.logger)
        XCTAssertEqual(try object.map(named: "cgroup_switch").valueSize, MemoryLayout<CgroupSwitchState>.size)
        XCTAssertEqual(try object.map(named: "cgroup_cpu_ns").keySize, MemoryLayout<UInt64>.size)
        XCTAssertEqual(try object.map(named: "cgroup_cpu_ns").valueSize, MemoryLayout<UInt64>.size)
    }
}
