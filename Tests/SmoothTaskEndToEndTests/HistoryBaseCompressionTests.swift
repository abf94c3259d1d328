import Foundation
import GRDB
@testable import SmoothTaskHistory
import SmoothTaskModel
import XCTest

/// Collections compressed against an earlier one (schema 3): every row reads back, across bases and
/// after retention cut into a base's group; a wrong dictionary is an error, never figures; version 2
/// and 3 stores are upgraded in place and keep their rows.
final class HistoryBaseCompressionTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "history-base-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func metrics(_ index: Int, timestamp: Int64) -> EbpfMetrics {
        EbpfMetrics(
            cpuUsage: Double(index % 97) + 0.25, cpuPerCore: [Double(index % 13), Double(index % 7)], memoryUsage: UInt64(index) << 20,
            memoryTotal: 8 << 30, timestamp: timestamp, windowMilliseconds: 1000
        )
    }

    private func collection(_ index: Int, at timestamp: Int64) -> RecordedCollection {
        RecordedCollection(timestamp: timestamp, windowMilliseconds: 1000, metrics: metrics(index, timestamp: timestamp), processes: nil, cgroups: nil)
    }

    private func bases(_ store: HistoryStore) throws -> [Int64] {
        try store.pool.read { db in try Int64.fetchAll(db, sql: "SELECT t FROM collection WHERE metrics_base IS NULL ORDER BY t") }
    }

    private func assertReadsBack(_ store: HistoryStore, _ times: [Int64], file: StaticString = #filePath, line: UInt = #line) async throws {
        for (index, time) in times.enumerated() {
            let read = try await store.collection(at: time)
            XCTAssertEqual(read?.timestamp, time, "collection \(index)", file: file, line: line)
            XCTAssertEqual(read?.memoryUsage, metrics(Int((time - first) / 1000), timestamp: time).memoryUsage, file: file, line: line)
        }
    }

    /// The first collection's time; collection `i` is taken `i` seconds later and holds figures of `i`.
    private let first: Int64 = 1_750_000_000_000

    func testDictionaryCompressionRoundTripsAndAWrongDictionaryIsAnError() throws {
        let base = try JSONEncoder().encode(metrics(1, timestamp: first))
        let next = try JSONEncoder().encode(metrics(2, timestamp: first + 1000))
        let plain = try Deflate.compress(next)
        let against = try Deflate.compress(next, dictionary: base)
        print("one collection's JSON: \(next.count) bytes, \(plain.count) compressed alone, \(against.count) against the previous")
        XCTAssertLessThan(against.count, plain.count)
        XCTAssertEqual(try Deflate.expand(against, expectedBytes: next.count, dictionary: base), next)
        XCTAssertThrowsError(try Deflate.expand(against, expectedBytes: next.count, dictionary: next))
        XCTAssertThrowsError(try Deflate.expand(against, expectedBytes: next.count), "no dictionary must not expand")
    }

    func testEveryCollectionReadsBackAcrossBasesAndAfterRetentionCutsIntoAGroup() async throws {
        let store = try HistoryStore(directory: directory)
        let writer = HistoryWriter(store: store)
        let times = (0..<200).map { first + Int64($0) * 1000 }
        for (index, time) in times.enumerated() { try writer.write(collection(index, at: time)) }
        let per = HistoryWriter.collectionsPerBase + 1
        XCTAssertEqual(try bases(store), stride(from: 0, to: 200, by: per).map { times[$0] })
        try await assertReadsBack(store, times)

        // Cut by age into the second base's group: its rows go with it, up to the next base.
        let cut = per + 9
        let deleted = try writer.enforce(maxBytes: 256 << 20, maxAgeSeconds: 1, now: times[cut] + 1000)
        XCTAssertEqual(deleted, 2 * per, "the rows before the cut and the rest of their base's group")
        let left = Array(times[(2 * per)...])
        let extent = try await store.extent()
        XCTAssertEqual(extent.oldest, left.first)
        try await assertReadsBack(store, left)

        // The writer's base may be gone with the cut: the next row starts a new one.
        let more = (200..<210).map { first + Int64($0) * 1000 }
        for (index, time) in more.enumerated() { try writer.write(collection(200 + index, at: time)) }
        XCTAssertTrue(try bases(store).contains(more[0]))
        try await assertReadsBack(store, left + more)
    }

    func testAVersion2StoreIsUpgradedInPlaceAndKeepsItsRows() async throws {
        try writeOldStore(version: 2)
        let store = try HistoryStore(directory: directory)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.path + ".v2"), "a version 2 store must not be moved aside")
        XCTAssertEqual(try userVersion(store), HistoryStore.schemaVersion)
        let read = try await store.collection(at: first)
        XCTAssertEqual(read?.memoryUsage, metrics(0, timestamp: first).memoryUsage)
        let writer = HistoryWriter(store: store)
        for index in 1..<5 { try writer.write(collection(index, at: first + Int64(index) * 1000)) }
        try await assertReadsBack(store, (0..<5).map { first + Int64($0) * 1000 })
    }

    func testAVersion3StoreIsUpgradedInPlaceAndKeepsItsRows() async throws {
        try writeOldStore(version: 3)
        let store = try HistoryStore(directory: directory)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.path + ".v3"), "a version 3 store must not be moved aside")
        XCTAssertEqual(try userVersion(store), HistoryStore.schemaVersion)
        let writer = HistoryWriter(store: store)
        for index in 2..<5 { try writer.write(collection(index, at: first + Int64(index) * 1000)) }
        // The old rows (one on its own, one against it) and the new ones.
        try await assertReadsBack(store, (0..<5).map { first + Int64($0) * 1000 })
    }

    /// Collections in a store as version 2 (without `metrics_base`, one collection) or 3 (without
    /// `metrics_lists`, a base and a row compressed against it) wrote them.
    private func writeOldStore(version: Int) throws {
        let store = try HistoryStore(directory: directory)
        let writer = HistoryWriter(store: store)
        try writer.write(collection(0, at: first))
        if version == 3 { try writer.write(collection(1, at: first + 1000)) }
        try store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE collection DROP COLUMN metrics_lists")
            if version == 2 { try db.execute(sql: "ALTER TABLE collection DROP COLUMN metrics_base") }
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
        try store.pool.close()
    }

    private func userVersion(_ store: HistoryStore) throws -> Int? {
        try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
    }
}
