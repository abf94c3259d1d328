#if canImport(Glibc)
import Glibc
#endif
@testable import SmoothTaskBPF
import SmoothTaskBPFObjects
import SmoothTaskHostChecks
import XCTest

@testable import SmoothTaskCollectors

/// `BPFMap.entries` reads whole maps with `BPF_MAP_LOOKUP_BATCH`; it must return exactly what the
/// key-by-key walk returns for the same map contents.
final class BatchedMapReadTests: XCTestCase {
    /// Short-lived children, each of which leaves one entry with its pid in the process table.
    static let childCount = 50

    /// Compares the two reads on a real per-process hash map holding a known load: every process that
    /// made a syscall while the counter ran (this machine's own plus our children), frozen by detaching
    /// the counter before either read so the two see the same contents.
    func testBatchedReadEqualsKeyByKeyWalkOfAPerProcessHashMap() throws {
        try TestSupport.skipUnlessPermittedToLoadEbpf()
        let object = try BPFObject(name: "syscalls", elfBytes: EmbeddedBPFObject.syscalls.elfBytes, logger: TestSupport.logger)
        try object.load()
        // Only the counter: without process_lifecycle's exit program exited children keep their entries.
        let counter = BPFLinkSet(programs: [try object.program(named: "count_syscall")])
        try counter.attach()
        var childPIDs: [UInt32] = []
        for _ in 0..<Self.childCount {
            let child = try ChildProcess("exit 0")
            child.wait()
            childPIDs.append(UInt32(child.pid))
        }
        counter.detach()

        let map = try object.map(named: "process_table")
        let walked = try map.entriesKeyByKey(keyType: UInt32.self, valueType: ProcessTableEntry.self).mapValues(\.syscalls)
        let batched = try map.batchedEntries(keyType: UInt32.self, valueType: ProcessTableEntry.self)?.mapValues(\.syscalls)
        guard let batched else {
            XCTAssertFalse(KernelRelease.current.isAtLeast(major: 5, minor: 6), "Linux 5.6+ batches hash maps")
            throw XCTSkip("kernel \(KernelRelease.current.text) cannot batch-read hash maps (Linux 5.6+)")
        }
        XCTAssertEqual(batched.count, walked.count)
        XCTAssertEqual(batched, walked)
        for pid in childPIDs {
            XCTAssertGreaterThan(batched[pid] ?? 0, 0, "child \(pid) made syscalls while counted")
        }
        XCTAssertEqual(try map.entries(keyType: UInt32.self, valueType: ProcessTableEntry.self).mapValues(\.syscalls), walked)
        try checkSpareReuse(map, walked: walked)
        // In many calls of a few entries each, a bucket larger than that growing the buffer (ENOSPC).
        for entriesPerCall in [1, 3, 64] {
            let chunked = try map.batchedEntries(keyType: UInt32.self, valueType: ProcessTableEntry.self, entriesPerCall: entriesPerCall)
            XCTAssertEqual(chunked?.mapValues(\.syscalls), walked, "\(entriesPerCall) entries per call")
        }
    }

    /// A spare dictionary (an earlier reading, here with a key the map lacks) comes back holding exactly
    /// the map, in its own storage while it is at most `spareCapacityFactor` times what the previous
    /// read held, and is dropped for a new one when larger, so a burst's storage is not kept.
    private func checkSpareReuse(_ map: BPFMap, walked: [UInt32: UInt64]) throws {
        let expected = max(walked.count + walked.count / 8, BPFMap.batchMinimumEntries)
        var spare = try map.entries(keyType: UInt32.self, valueType: ProcessTableEntry.self)
        spare[UInt32.max] = ProcessTableEntry()
        // More room than a new read reserves (under twice `expected`), within the bound.
        spare.reserveCapacity(2 * expected + 1)
        let spareCapacity = spare.capacity
        XCTAssertLessThanOrEqual(spareCapacity, BPFMap.spareCapacityFactor * expected)
        let reused = try map.entries(keyType: UInt32.self, valueType: ProcessTableEntry.self, reusing: spare)
        XCTAssertEqual(reused.mapValues(\.syscalls), walked)
        XCTAssertEqual(reused.capacity, spareCapacity, "a spare within the bound is refilled")

        var oversized = [UInt32: ProcessTableEntry](minimumCapacity: (BPFMap.spareCapacityFactor + 4) * expected)
        oversized[UInt32.max] = ProcessTableEntry()
        let fresh = try map.entries(keyType: UInt32.self, valueType: ProcessTableEntry.self, reusing: oversized)
        XCTAssertEqual(fresh.mapValues(\.syscalls), walked)
        XCTAssertLessThan(fresh.capacity, BPFMap.spareCapacityFactor * expected, "an oversized spare is dropped")
        print("spare reuse: \(walked.count) entries, spare capacity \(spareCapacity) kept; oversized \(oversized.capacity) -> \(fresh.capacity)")
    }

    /// The same on an array map, whose batch position is a key rather than a hash bucket.
    func testBatchedReadEqualsKeyByKeyWalkOfAnArrayMap() throws {
        try TestSupport.skipUnlessPermittedToLoadEbpf()
        let object = try BPFObject(
            name: "memory_events", elfBytes: EmbeddedBPFObject.memoryEvents.elfBytes, logger: TestSupport.logger
        )
        try object.load()
        let map = try object.map(named: "oom_victims")
        let walked = try map.entriesKeyByKey(keyType: UInt32.self, valueType: OOMVictimRecord.self)
        let batched = try XCTUnwrap(map.batchedEntries(keyType: UInt32.self, valueType: OOMVictimRecord.self))
        // An array has every slot from the start; nothing ran, so each reads as zeros.
        XCTAssertEqual(Set(batched.keys), Set((0..<UInt32(map.maxEntries))))
        XCTAssertEqual(Set(walked.keys), Set(batched.keys))
        for (slot, record) in batched {
            XCTAssertEqual(Self.bytes(of: record), Self.bytes(of: walked[slot]!))
            XCTAssertTrue(Self.bytes(of: record).allSatisfy { $0 == 0 })
        }
    }

    private static func bytes<Value: BitwiseCopyable>(of value: Value) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }
}
