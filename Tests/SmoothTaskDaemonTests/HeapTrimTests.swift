import CAllocatorTuning
import Foundation
import Glibc
@testable import SmoothTaskDaemon
import XCTest

/// The allocator shim reaches glibc's malloc: it sees the free heap a burst leaves and gives its pages
/// back. (It once compiled to stubs everywhere, since `__GLIBC__` was tested before any libc header
/// defined it: nothing was ever trimmed and the arena cap never applied.)
final class HeapTrimTests: XCTestCase {
    func testFreedBurstIsSeenAndTrimmed() throws {
        // Small blocks from the heap (below the 128 KiB mmap threshold), the last one kept so the
        // freed ones cannot merge into the heap's top, which free() trims on its own.
        let blockBytes = 1 << 10
        let blocks = (0..<4096).map { _ in malloc(blockBytes) }
        defer { free(blocks.last!) }
        for block in blocks.dropLast() {
            memset(block, 1, blockBytes)
        }
        let before = smoothtask_free_heap_bytes()
        for block in blocks.dropLast() { free(block) }
        let freed = smoothtask_free_heap_bytes()
        print("free heap: \(before) bytes before, \(freed) after freeing \(blocks.count - 1) KiB")
        XCTAssertGreaterThanOrEqual(freed, before + (blocks.count - 1) * blockBytes / 2, "mallinfo2 not reached")
        XCTAssertEqual(smoothtask_trim(), 1, "malloc_trim released nothing of the freed blocks' pages")
    }

    func testCheckGivesTheFreedPagesBack() throws {
        let blockBytes = 1 << 10
        let count = 2 * HeapTrim.freeBytesLimit / blockBytes
        let blocks = (0..<count).map { _ in malloc(blockBytes) }
        defer { free(blocks.last!) }
        for block in blocks.dropLast() {
            memset(block, 1, blockBytes)
            free(block)
        }
        XCTAssertGreaterThan(smoothtask_free_heap_bytes(), HeapTrim.freeBytesLimit)
        let before = try Self.anonymousBytes()
        HeapTrim.check()
        let after = try Self.anonymousBytes()
        print("anonymous RSS: \(before >> 10) KiB before HeapTrim.check(), \(after >> 10) KiB after")
        XCTAssertLessThanOrEqual(after, before - HeapTrim.freeBytesLimit, "the freed pages stayed resident")
    }

    /// This process's anonymous resident memory (/proc/self/smaps_rollup), bytes.
    private static func anonymousBytes() throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Anonymous:") })
        let kib = try XCTUnwrap(Int(try XCTUnwrap(line.split(separator: " ").dropFirst().first)))
        return kib << 10
    }
}
