import CSmoothTaskBPFTypes
import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskModel
import XCTest
@testable import SmoothTaskCollectors

/// The map structs Swift reads come from bpf/*.h through CSmoothTaskBPFTypes. The host compiler lays
/// them out for Swift, the BPF compiler for the kernel: every field's offset and every struct's
/// size from C `offsetof`/`sizeof` must equal the BTF of the compiled objects, and Swift's view of
/// the imported types must equal C's. Opening an object needs no privilege.
final class StructLayoutTests: XCTestCase {
    private static let objects: [EmbeddedBPFObject] = [
        .scheduler, .syscalls, .memoryEvents, .diskMetrics, .networkMetrics, .processLifecycle,
    ]

    /// C's field table, grouped by struct.
    private static func hostLayouts() -> [String: [(field: String, offset: Int, size: Int, typeSize: Int)]] {
        var layouts: [String: [(field: String, offset: Int, size: Int, typeSize: Int)]] = [:]
        let table = UnsafeBufferPointer(start: smoothtask_field_layouts_pointer(), count: smoothtask_field_layout_count)
        for entry in table {
            layouts[String(cString: entry.type_name), default: []].append(
                (String(cString: entry.field_name), entry.offset, entry.size, entry.type_size)
            )
        }
        return layouts
    }

    func testEverySharedFieldHasTheSameOffsetOnTheHostAndInTheBPFObjects() throws {
        let host = Self.hostLayouts()
        XCTAssertEqual(host.count, 12, "structs in the C table: \(host.keys.sorted())")
        let opened = try Self.objects.map { try BPFObject(name: $0.name, elfBytes: $0.elfBytes, logger: TestSupport.logger) }
        var checked = 0
        for (structName, fields) in host.sorted(by: { $0.key < $1.key }) {
            let inObjects = opened.compactMap { object in object.btfStructLayout(named: structName).map { (object.name, $0) } }
            XCTAssertFalse(inObjects.isEmpty, "no compiled object has struct \(structName) in its BTF")
            for (objectName, layout) in inObjects {
                XCTAssertEqual(layout.size, fields[0].typeSize, "sizeof(struct \(structName)) in \(objectName)")
                XCTAssertEqual(Set(layout.memberOffsets.keys), Set(fields.map(\.field)), "\(structName) fields in \(objectName)")
                for field in fields {
                    XCTAssertEqual(layout.memberOffsets[field.field], field.offset, "\(structName).\(field.field) in \(objectName)")
                    checked += 1
                }
            }
        }
        print("checked \(checked) field offsets of \(host.count) structs against the BTF of \(opened.count) objects")
    }

    func testSwiftSeesTheImportedStructsAsCLaysThemOut() throws {
        let host = Self.hostLayouts()
        func check<T>(_ type: T.Type, _ name: String, _ fields: [(String, PartialKeyPath<T>)]) {
            let c = host[name] ?? []
            XCTAssertEqual(MemoryLayout<T>.size, c.first?.typeSize, "size of \(name)")
            XCTAssertEqual(fields.count, c.count, "fields of \(name) checked")
            for (field, keyPath) in fields {
                XCTAssertEqual(MemoryLayout<T>.offset(of: keyPath), c.first { $0.field == field }?.offset, "\(name).\(field)")
            }
        }
        check(CPUSwitchAccounting.self, "cpu_switch_accounting", [
            ("busy_ns", \.busy_ns), ("idle_ns", \.idle_ns), ("last_switch_ns", \.last_switch_ns),
            ("running_tgid", \.running_tgid), ("running_idle", \.running_idle),
            ("running_start_runtime_ns", \.running_start_runtime_ns), ("running_pid", \.running_pid), ("padding", \.padding),
            ("running_cgroup", \.running_cgroup), ("cgroup_dropped", \.cgroup_dropped),
            ("running_cgroup_start_runtime_ns", \.running_cgroup_start_runtime_ns),
        ])
        check(SyscallFailureKey.self, "syscall_failure_key", [("id", \.id), ("error", \.error)])
        check(OOMVictimRecord.self, "oom_victim", [("time_ns", \.time_ns), ("pid", \.pid), ("uid", \.uid), ("comm", \.comm)])
        check(DiskDeviceCounters.self, "disk_device_counters", [
            ("read_requests", \.read_requests), ("write_requests", \.write_requests), ("other_requests", \.other_requests),
            ("read_bytes", \.read_bytes), ("write_bytes", \.write_bytes), ("latency", \.latency),
        ])
        // The InlineArray view of log2_hist must keep C's bytes.
        check(Log2HistogramSlots.self, "log2_hist", [("slots", \.slots), ("total_ns", \.totalNanoseconds)])
        XCTAssertEqual(MemoryLayout<Log2HistogramSlots>.size, (LatencyHistogram.slotCount + 1) * 8)
        var histogram = Log2HistogramSlots()
        histogram.slots[35] = 7
        histogram.totalNanoseconds = 9
        XCTAssertEqual(histogram.raw.total_ns, 9)
        XCTAssertEqual(histogram.raw.slots.35, 7)
        XCTAssertEqual(Log2HistogramSlots(histogram.raw), histogram)
    }

    /// The maps' key and value sizes, which libbpf reads from the BTF, are those of the Swift types read from them.
    func testMapsHoldTheImportedTypes() throws {
        func object(_ embedded: EmbeddedBPFObject) throws -> BPFObject {
            try BPFObject(name: embedded.name, elfBytes: embedded.elfBytes, logger: TestSupport.logger)
        }
        let scheduler = try object(.scheduler)
        XCTAssertEqual(try scheduler.map(named: "cpu_accounting").valueSize, MemoryLayout<CPUSwitchAccounting>.size)
        XCTAssertEqual(try scheduler.map(named: "process_table").valueSize, MemoryLayout<ProcessTableEntry>.size)
        XCTAssertEqual(try scheduler.map(named: "process_waits").valueSize, MemoryLayout<Log2HistogramSlots>.size)
        XCTAssertEqual(try scheduler.map(named: "cgroup_cpu_ns").valueSize, MemoryLayout<UInt64>.size)
        // scheduler_features alone, which SchedulerObject writes as one UInt32.
        XCTAssertEqual(try scheduler.map(named: ".bss").valueSize, MemoryLayout<UInt32>.size)
        let syscalls = try object(.syscalls)
        XCTAssertEqual(try syscalls.map(named: "syscall_totals").valueSize, MemoryLayout<SyscallTotals>.size)
        XCTAssertEqual(try syscalls.map(named: "syscall_failures").keySize, MemoryLayout<SyscallFailureKey>.size)
        let memory = try object(.memoryEvents)
        XCTAssertEqual(try memory.map(named: "memory_totals").valueSize, MemoryLayout<MemoryEventTotals>.size)
        XCTAssertEqual(try memory.map(named: "oom_victims").valueSize, MemoryLayout<OOMVictimRecord>.size)
        XCTAssertEqual(try memory.map(named: "oom_victims").maxEntries, MemoryEventsProgram.oomSlots)
        let disk = try object(.diskMetrics)
        XCTAssertEqual(try disk.map(named: "devices").valueSize, MemoryLayout<DiskDeviceCounters>.size)
        let network = try object(.networkMetrics)
        XCTAssertEqual(try network.map(named: "interfaces").valueSize, MemoryLayout<NetworkInterfaceCounters>.size)
        let lifecycle = try object(.processLifecycle)
        XCTAssertEqual(try lifecycle.map(named: "lifecycle_totals").valueSize, MemoryLayout<ProcessLifecycleTotals>.size)
        XCTAssertEqual(try lifecycle.map(named: "process_table").valueSize, MemoryLayout<ProcessTableEntry>.size)
    }
}
