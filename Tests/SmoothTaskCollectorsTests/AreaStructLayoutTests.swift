import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel
import XCTest

@testable import SmoothTaskCollectors

/// The Swift mirrors of the run-queue latency, disk and network maps must have the C structs' sizes.
final class AreaStructLayoutTests: XCTestCase {
    private func object(_ embedded: EmbeddedBPFObject) throws -> BPFObject {
        try BPFObject(name: embedded.name, elfBytes: embedded.elfBytes, logger: TestSupport.logger)
    }

    func testHistogramMirrorMatchesLog2Hist() throws {
        let object = try object(.schedLatency)
        XCTAssertEqual(try object.map(named: "system_waits").valueSize, MemoryLayout<Log2HistogramSlots>.size)
        XCTAssertEqual(try object.map(named: "process_waits").valueSize, MemoryLayout<Log2HistogramSlots>.size)
        XCTAssertEqual(MemoryLayout<Log2HistogramSlots>.size, (LatencyHistogram.slotCount + 1) * 8)
    }

    func testDiskMirrorsMatchCStructs() throws {
        let object = try object(.diskMetrics)
        XCTAssertEqual(try object.map(named: "devices").valueSize, MemoryLayout<DiskDeviceCounters>.size)
        XCTAssertEqual(try object.map(named: "processes").valueSize, MemoryLayout<DiskProcessCounters>.size)
    }

    func testNetworkMirrorsMatchCStructs() throws {
        let object = try object(.networkMetrics)
        XCTAssertEqual(try object.map(named: "interfaces").valueSize, MemoryLayout<NetworkInterfaceCounters>.size)
        XCTAssertEqual(try object.map(named: "processes").valueSize, MemoryLayout<NetworkProcessCounters>.size)
    }
}
