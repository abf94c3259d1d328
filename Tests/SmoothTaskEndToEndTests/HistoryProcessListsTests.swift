import Foundation
@testable import SmoothTaskHistory
import SmoothTaskModel
import XCTest

/// The metrics' per-process lists kept as references to the collection's process rows (schema 4):
/// stripped only when they rebuild exactly, named as the live list named them (after an exec too),
/// and read back from the store as written.
final class HistoryProcessListsTests: XCTestCase {
    private let timestamp: Int64 = 1_750_000_000_000
    /// An odd window: percentages and rates are not round numbers.
    private let windowNanoseconds: UInt64 = 1_000_123_457

    /// Process `i`: pid 100+i, busy in proportion to i; pid 107 exec'd since the store first named it.
    private func samples() -> [ProcessWindowSample] {
        (0..<8).map { index in
            var window = ProcessTotals(since: .accountingStart, sinceMilliseconds: 0)
            window.cpuTimeNanoseconds = UInt64(index) * 12_345_678 + 999
            window.syscalls = UInt64(index * 1000 + 3)
            window.failedSyscalls = 0
            window.userFaults = UInt64(index * 17)
            window.reclaimStalls = 0
            window.reclaimStallNanoseconds = 0
            window.diskReadBytes = UInt64(index) << 12
            window.diskWriteBytes = UInt64(index % 3) << 20
            return ProcessWindowSample(
                pid: Int32(100 + index), state: .live, startTimeMilliseconds: timestamp - 60_000 + Int64(index), comm: "proc\(index)",
                uid: 0, window: window
            )
        }
    }

    /// The answer the collector gives for `samples`, its lists made by the collector's own builder.
    private func metrics(_ samples: [ProcessWindowSample]) -> EbpfMetrics {
        let busiest = samples.sorted { $0.pid > $1.pid }
        func comm(_ sample: ProcessWindowSample) -> String? { sample.pid == 107 ? "after-exec" : sample.comm }
        var metrics = EbpfMetrics(cpuUsage: 12.5, cpuPerCore: [10, 15], memoryUsage: 1 << 30, memoryTotal: 8 << 30, timestamp: timestamp, windowMilliseconds: 1000)
        metrics.topProcesses = busiest.prefix(5).map {
            ProcessListBuilder.cpu(pid: $0.pid, comm: comm($0), cpuNanoseconds: $0.window.cpuTimeNanoseconds ?? 0, windowNanoseconds: windowNanoseconds)
        }
        metrics.syscalls = SyscallMetrics(
            architecture: "x86_64", total: 100, failuresTotal: 0, windowCount: 10, ratePerSecond: 10, failureRatePerSecond: 0, topSyscalls: [],
            topFailures: [],
            topProcesses: busiest.map { ProcessListBuilder.events(pid: $0.pid, comm: comm($0), count: $0.window.syscalls ?? 0, windowNanoseconds: windowNanoseconds) },
            mapFull: 0
        )
        metrics.memory = MemoryMetrics(
            system: nil,
            events: MemoryEventMetrics(
                userFaultsTotal: 1, userFaults: 1, userFaultRatePerSecond: 1,
                topFaulting: busiest.prefix(3).map {
                    ProcessListBuilder.events(pid: $0.pid, comm: comm($0), count: $0.window.userFaults ?? 0, windowNanoseconds: windowNanoseconds)
                },
                reclaimStallsTotal: 0, reclaimStallNanosecondsTotal: 0, reclaimStalls: 0, reclaimStallNanoseconds: 0, oomKillsTotal: 0,
                recentOOMKills: [], mapFull: 0
            )
        )
        metrics.disk = DiskMetrics(
            devices: [], latency: LatencyHistogram(slotCounts: [1, 2], sumNanoseconds: 10),
            topProcesses: busiest.prefix(5).map {
                ProcessListBuilder.disk(pid: $0.pid, comm: comm($0), readBytes: $0.window.diskReadBytes ?? 0, writeBytes: $0.window.diskWriteBytes ?? 0)
            }
        )
        return metrics
    }

    private func rows(_ samples: [ProcessWindowSample]) throws -> [ProcessRowCodec.Row] {
        try ProcessRowCodec.decode(ProcessRowCodec.encode(samples, timestamp: timestamp), timestamp: timestamp)
    }

    func testListsThatRebuildExactlyAreStrippedAndComeBackToTheBit() throws {
        let samples = samples()
        let original = metrics(samples)
        var stripped = original
        let record = try XCTUnwrap(ProcessListsRecord.strip(&stripped, rows: try rows(samples), windowNanoseconds: windowNanoseconds))
        XCTAssertNotNil(record.cpu)
        XCTAssertNotNil(record.syscalls)
        XCTAssertNotNil(record.faults)
        XCTAssertNotNil(record.disk)
        XCTAssertNil(stripped.topProcesses)
        XCTAssertEqual(stripped.syscalls?.topProcesses, [])
        let full = try JSONEncoder().encode(original)
        let stored = try JSONEncoder().encode(StoredMetrics(metrics: stripped, lists: record))
        print("one collection's JSON with its lists: \(full.count) bytes; lists as row references: \(stored.count)")
        XCTAssertLessThan(stored.count, full.count)
        let decoded = try JSONDecoder().decode(StoredMetrics.self, from: stored)
        XCTAssertEqual(decoded.lists, record)
        XCTAssertEqual(decoded.lists.rebuild(decoded.metrics, rows: try rows(samples)), original)
        XCTAssertEqual(decoded.lists.rebuild(decoded.metrics, rows: [])?.topProcesses, nil, "rows it names are missing: no answer")
    }

    func testAListTheRowsDoNotRebuildIsKeptAsItWas() throws {
        var samples = samples()
        let original = metrics(samples)
        // The rows disagree with the fault list about pid 107, and pid 100 has two rows (one exited,
        // one new) so the syscall list naming it cannot tell them apart: both lists stay in the JSON.
        samples[7].window.userFaults = 1
        var twin = samples[0]
        twin.state = .exited
        twin.startTimeMilliseconds = timestamp - 90_000
        samples.append(twin)
        var stripped = original
        let record = try XCTUnwrap(ProcessListsRecord.strip(&stripped, rows: try rows(samples), windowNanoseconds: windowNanoseconds))
        XCTAssertNil(record.syscalls)
        XCTAssertNil(record.faults)
        XCTAssertEqual(stripped.syscalls?.topProcesses, original.syscalls?.topProcesses)
        XCTAssertEqual(stripped.memory?.events?.topFaulting, original.memory?.events?.topFaulting)
        XCTAssertNotNil(record.cpu, "the CPU list does not name 100 and agrees with the rows")
        XCTAssertNotNil(record.disk)
        XCTAssertEqual(record.rebuild(stripped, rows: try rows(samples)), original)
    }

    func testTheStoreAnswersWhatWasRecorded() async throws {
        let directory = NSTemporaryDirectory() + "history-lists-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try HistoryStore(directory: directory)
        let writer = HistoryWriter(store: store)
        let samples = samples()
        let original = metrics(samples)
        for offset in 0..<3 {
            var metrics = original
            metrics.timestamp = timestamp + Int64(offset) * 1000
            try writer.write(
                RecordedCollection(
                    timestamp: metrics.timestamp, windowMilliseconds: 1000, metrics: metrics, processes: samples, cgroups: nil,
                    windowNanoseconds: windowNanoseconds
                )
            )
        }
        for offset in 0..<3 {
            var expected = original
            expected.timestamp = timestamp + Int64(offset) * 1000
            expected.recorded = true
            let read = try await store.collection(at: expected.timestamp)
            XCTAssertEqual(read, expected)
        }
        let stripped = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM collection WHERE metrics_lists = 1") }
        XCTAssertEqual(stripped, 3)
    }
}
