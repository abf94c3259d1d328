import CAllocatorTuning
import Glibc
import SmoothTaskCollectors
@testable import SmoothTaskDaemon
import XCTest

/// The allocator shim reaches glibc's malloc: it sees the free heap a burst leaves and gives its pages
/// back. (It once compiled to stubs everywhere, since `__GLIBC__` was tested before any libc header
/// defined it: nothing was ever trimmed and the arena cap never applied.)
final class HeapTrimTests: XCTestCase {
    func testFreedBurstIsSeenAndTrimmed() {
        var before = 0
        let blocks = Self.freedBurst(bytes: 4 << 20) { before = smoothtask_free_heap_bytes() }
        defer { free(blocks.last!) }
        let freed = smoothtask_free_heap_bytes()
        print("free heap: \(before) bytes before, \(freed) after freeing \(blocks.count - 1) KiB")
        XCTAssertGreaterThanOrEqual(freed, before + (2 << 20), "mallinfo2 not reached")
        XCTAssertEqual(smoothtask_trim(), 1, "malloc_trim released nothing of the freed blocks' pages")
    }

    func testCheckGivesBackWhatABurstLeft() throws {
        var trim = HeapTrim()
        trim.check(residentBytes: try Self.residentBytes())
        let blocks = Self.freedBurst(bytes: 2 * HeapTrim.growthBytes)
        defer { free(blocks.last!) }
        let before = try Self.residentBytes()
        trim.check(residentBytes: before)
        let after = try Self.residentBytes()
        print("resident: \(before >> 10) KiB after the burst, \(after >> 10) KiB after HeapTrim.check()")
        XCTAssertLessThanOrEqual(after, before - UInt64(HeapTrim.growthBytes), "the freed pages stayed resident")
    }

    /// After a trim the free heap stays high (the chunks stay in malloc's bins): that alone does not
    /// trim again at the next collection.
    func testCheckTrimsOncePerBurst() throws {
        var trim = HeapTrim()
        trim.check(residentBytes: try Self.residentBytes())
        let blocks = Self.freedBurst(bytes: 2 * HeapTrim.growthBytes)
        defer { free(blocks.last!) }
        XCTAssertTrue(trim.check(residentBytes: try Self.residentBytes()), "a burst that ended was not trimmed")
        XCTAssertGreaterThan(smoothtask_free_heap_bytes(), HeapTrim.growthBytes)
        XCTAssertFalse(trim.check(residentBytes: try Self.residentBytes()), "trimmed again with nothing new freed")
    }

    /// `bytes` of small blocks written and freed, all but the last, which is returned so it keeps the
    /// freed ones from merging into the heap's top (which free() trims on its own); free it after.
    private static func freedBurst(bytes: Int, beforeFreeing: () -> Void = {}) -> [UnsafeMutableRawPointer] {
        let blockBytes = 1 << 10
        let blocks = (0..<(bytes / blockBytes)).map { _ in malloc(blockBytes)! }
        for block in blocks.dropLast() {
            memset(block, 1, blockBytes)
        }
        beforeFreeing()
        for block in blocks.dropLast() { free(block) }
        return blocks
    }

    /// This process's resident memory, bytes, as the daemon reads its own.
    private static func residentBytes() throws -> UInt64 {
        try SelfUsage.read().rssBytes
    }
}
