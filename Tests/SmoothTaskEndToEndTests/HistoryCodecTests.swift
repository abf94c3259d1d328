import Foundation
@testable import SmoothTaskHistory
import SmoothTaskModel
import SmoothTaskTestSupport
import XCTest

/// The history's row encoding (schema 2) gives back what it was given: bit columns at their edges,
/// process rows (pid reuse, exits, missing start times, masks that differ, time figures to the
/// microsecond) and cgroup rows; a cut blob is an error, never rows.
final class HistoryCodecTests: XCTestCase {
    private func roundTrip(_ values: [UInt64], file: StaticString = #filePath, line: UInt = #line) throws {
        var writer = BitWriter()
        BitColumn.write(values, to: &writer)
        writer.write(0b101, bits: 3)
        var reader = BitReader([UInt8](writer.data))
        XCTAssertEqual(try BitColumn.read(count: values.count, from: &reader), values, file: file, line: line)
        XCTAssertEqual(try reader.read(bits: 3), 0b101, "the column did not end where it was written", file: file, line: line)
    }

    func testBitColumnsRoundTripAtTheirEdges() throws {
        try roundTrip([])
        try roundTrip([0, 0, 0])
        try roundTrip([UInt64.max, 0, 1, UInt64.max - 1, 1 << 63])
        try roundTrip([UInt64.max])
        try roundTrip([0, 0, 0, 0, 0, 0, 0, 12_345_678_901, 0, 0])
        var generator = SeededGenerator(seed: 1)
        for bits in [1, 7, 8, 15, 16, 33, 63, 64] {
            let limit: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
            try roundTrip((0..<300).map { _ in UInt64.random(in: 0...limit, using: &generator) })
        }
        // Heavy-tailed: most tiny, a few huge.
        try roundTrip((0..<300).map { index in index % 50 == 0 ? UInt64.random(in: 0...UInt64.max, using: &generator) : UInt64(index % 3) })
    }

    func testProcessRowsRoundTripWithTimesInMicroseconds() throws {
        var generator = SeededGenerator(seed: 42)
        let timestamp: Int64 = 1_750_000_000_000
        var rows: [ProcessRowCodec.Row] = []
        for index in 0..<400 {
            var window = ProcessFigures()
            // Most rows share a mask; some have figures that were not counted.
            window.present = index % 17 == 0 ? UInt64.random(in: 0...0x7ff, using: &generator) : 0x3ff
            for figure in 0..<ProcessFigures.count where window.present & (1 << UInt64(figure)) != 0 {
                switch index % 4 {
                case 0: window.values[figure] = 0
                case 1: window.values[figure] = UInt64.random(in: 0...50_000_000, using: &generator)
                case 2: window.values[figure] = UInt64.random(in: 0...(UInt64.max / 2), using: &generator)
                default: window.values[figure] = UInt64(figure)
                }
            }
            // Pids reused (the same pid twice, an exit and its successor), start times before and
            // after the collection, and rows /proc could not date.
            let pid = Int32(index % 350 + (index % 5 == 0 ? 4_000_000 : 1))
            let start: Int64? = index % 23 == 0 ? nil : timestamp - Int64.random(in: -5_000...90_000_000_000, using: &generator)
            rows.append(ProcessRowCodec.Row(pid: pid, exited: index % 7 == 0, startMilliseconds: start, window: window))
        }
        let blob = ProcessRowCodec.encode(rows, timestamp: timestamp)
        let decoded = try ProcessRowCodec.decode(blob, timestamp: timestamp)
        let rounded: [ProcessRowCodec.Row] = rows.map { row in
            var row = row
            for figure in ProcessRowCodec.timeFigures {
                row.window.values[figure] = ProcessRowCodec.stored(row.window.values[figure], figure: figure) &* ProcessRowCodec.nanosecondsPerStoredUnit
            }
            return row
        }
        let expected = rounded.sorted { (left: ProcessRowCodec.Row, right: ProcessRowCodec.Row) in
            (UInt32(bitPattern: left.pid), left.startMilliseconds ?? 0) < (UInt32(bitPattern: right.pid), right.startMilliseconds ?? 0)
        }
        XCTAssertEqual(decoded.count, expected.count)
        for (got, want) in zip(decoded, expected) { XCTAssertEqual(got, want) }
        print("History codec: \(rows.count) process rows in \(blob.count) bytes")

        // A time figure is rounded to the nearest microsecond, not cut.
        XCTAssertEqual(ProcessRowCodec.stored(1_499, figure: 0), 1)
        XCTAssertEqual(ProcessRowCodec.stored(1_500, figure: 0), 2)
        XCTAssertEqual(ProcessRowCodec.stored(1_500, figure: 1), 1_500, "a count is stored as it is")
        XCTAssertEqual(ProcessRowCodec.stored(UInt64.max, figure: 10), UInt64.max / 1000, "rounded down: up would wrap when read back")

        for cut in [1, blob.count / 2, blob.count - 1] {
            XCTAssertThrowsError(try ProcessRowCodec.decode(blob.prefix(cut), timestamp: timestamp), "a blob cut to \(cut) bytes decoded")
        }
        XCTAssertEqual(try ProcessRowCodec.decode(ProcessRowCodec.encode([ProcessRowCodec.Row](), timestamp: timestamp), timestamp: timestamp), [])
    }

    /// The writer checks the per-process lists against the rows it builds, not against the blob
    /// decoded again: those rows must be exactly what the store reads back.
    func testTheRowsTheWriterChecksAreTheRowsTheStoreReadsBack() throws {
        var generator = SeededGenerator(seed: 5)
        let timestamp: Int64 = 1_750_000_000_000
        let samples = (0..<300).map { index in
            var window = ProcessTotals(since: .accountingStart, sinceMilliseconds: 0)
            window.cpuTimeNanoseconds = UInt64.random(in: 0...300_000_000, using: &generator)
            window.syscalls = UInt64.random(in: 0...50_000, using: &generator)
            window.reclaimStallNanoseconds = index % 3 == 0 ? nil : UInt64.random(in: 0...5_000, using: &generator)
            window.runQueueWaitNanoseconds = index % 5 == 0 ? UInt64.max - UInt64(index) : UInt64(index) * 1_499
            return ProcessWindowSample(
                pid: Int32(300 - index), state: index % 9 == 0 ? .exited : .live, startTimeMilliseconds: index % 11 == 0 ? nil : timestamp - Int64(index),
                comm: "p", uid: 0, window: window
            )
        }
        let rows = samples.map(ProcessRowCodec.Row.init(storing:))
        let sorted = rows.sorted { (UInt32(bitPattern: $0.pid), $0.startMilliseconds ?? 0) < (UInt32(bitPattern: $1.pid), $1.startMilliseconds ?? 0) }
        XCTAssertEqual(try ProcessRowCodec.decode(ProcessRowCodec.encode(rows, timestamp: timestamp), timestamp: timestamp), sorted)
        XCTAssertEqual(ProcessRowCodec.encode(rows, timestamp: timestamp), ProcessRowCodec.encode(samples, timestamp: timestamp))
    }

    func testCgroupRowsRoundTrip() throws {
        var generator = SeededGenerator(seed: 7)
        let rows = (0..<60).map { index in
            CgroupRowCodec.Row(
                id: UInt64.random(in: 1...UInt64.max / 2, using: &generator), cpuNanoseconds: index % 3 == 0 ? 0 : UInt64(index) * 1_000_000,
                cpuTotalNanoseconds: UInt64.random(in: 0...1 << 60, using: &generator) / 1000 * 1000
            )
        }
        let blob = CgroupRowCodec.encode(rows)
        XCTAssertEqual(try CgroupRowCodec.decode(blob), rows.sorted { $0.id < $1.id })
        XCTAssertThrowsError(try CgroupRowCodec.decode(blob.prefix(blob.count / 2)))
        print("History codec: \(rows.count) cgroup rows in \(blob.count) bytes")
    }
}
