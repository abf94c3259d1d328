import Foundation
import GRDB
@testable import SmoothTaskHistory
import SmoothTaskModel
import XCTest

/// Collections compressed against an earlier one (schema 3): every row reads back, across bases and
/// after retention cut into a base's group; a wrong dictionary is an error, never figures; version 2,
/// 3, 4 and 5 stores are upgraded in place and keep their rows, names and exits included.
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

    /// Collection `index`: two processes, one of which (its command line repeated by every other
    /// collection's) exits in it, so the `process` table holds names, command lines and exits.
    private func collection(_ index: Int, at timestamp: Int64) -> RecordedCollection {
        var window = ProcessTotals(since: .accountingStart, sinceMilliseconds: 0)
        window.cpuTimeNanoseconds = UInt64(index) * 1_000_000
        let live = ProcessWindowSample(
            pid: 10, state: .live, startTimeMilliseconds: first - 60_000, comm: "daemon", uid: 0, command: "/usr/sbin/daemon --foreground",
            window: window
        )
        var lifetime = window
        lifetime.since = .processStart
        let exited = ProcessWindowSample(
            pid: Int32(1000 + index), state: .exited, startTimeMilliseconds: timestamp - 500, comm: "job", uid: 1000,
            command: "/bin/sh -c job --every-second", window: window,
            exit: ProcessExitFields(ppid: 10, exitTimeMilliseconds: timestamp - 10, exitCode: 3, exitSignal: nil, cgroupID: 77, totals: lifetime)
        )
        return RecordedCollection(
            timestamp: timestamp, windowMilliseconds: 1000, metrics: metrics(index, timestamp: timestamp), processes: [live, exited], cgroups: nil
        )
    }

    private func bases(_ store: HistoryStore) throws -> [Int64] {
        try store.pool.read { db in try Int64.fetchAll(db, sql: "SELECT t FROM collection WHERE metrics_base IS NULL ORDER BY t") }
    }

    /// The extent the store keeps in memory (for `status`) is what its table holds, and what a store
    /// opened afresh counts.
    private func assertExtentIsTheTables(_ store: HistoryStore, file: StaticString = #filePath, line: UInt = #line) async throws {
        let counted = try store.pool.read { db in try Row.fetchOne(db, sql: "SELECT min(t), max(t), count(*) FROM collection") }
        let held = try await store.extent()
        XCTAssertEqual(held.oldest, counted?[0], "oldest", file: file, line: line)
        XCTAssertEqual(held.newest, counted?[1], "newest", file: file, line: line)
        XCTAssertEqual(held.collections, counted?[2], "collections", file: file, line: line)
        let reopened = try await HistoryStore(directory: directory).extent()
        XCTAssertTrue(reopened == held, "a store opened afresh counts \(reopened), the open one holds \(held)", file: file, line: line)
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
        try await assertExtentIsTheTables(store)

        // Cut by age into the second base's group: its rows go with it, up to the next base.
        let cut = per + 9
        let deleted = try writer.enforce(maxBytes: 256 << 20, maxAgeSeconds: 1, now: times[cut] + 1000)
        XCTAssertEqual(deleted, 2 * per, "the rows before the cut and the rest of their base's group")
        let left = Array(times[(2 * per)...])
        let extent = try await store.extent()
        XCTAssertEqual(extent.oldest, left.first)
        try await assertReadsBack(store, left)
        try await assertExtentIsTheTables(store)

        // The writer's base may be gone with the cut: the next row starts a new one.
        let more = (200..<210).map { first + Int64($0) * 1000 }
        for (index, time) in more.enumerated() { try writer.write(collection(200 + index, at: time)) }
        XCTAssertTrue(try bases(store).contains(more[0]))
        try await assertReadsBack(store, left + more)
        // An age cut into the newest group keeps the group whole: nothing after its base could expand it.
        let all = left + more
        XCTAssertEqual(try writer.enforce(maxBytes: 256 << 20, maxAgeSeconds: 1, now: more[5] + 1000), all.count - more.count)
        try await assertReadsBack(store, more)
        try await assertExtentIsTheTables(store)
        // A collection written again at a time already held replaces it and is not counted twice.
        try writer.write(collection(209, at: more[9]))
        try await assertExtentIsTheTables(store)
    }

    func testAVersion2StoreIsUpgradedInPlaceAndKeepsItsRows() async throws {
        let store = try upgradedStore(from: 2)
        let read = try await store.collection(at: first)
        XCTAssertEqual(read?.memoryUsage, metrics(0, timestamp: first).memoryUsage)
        let writer = HistoryWriter(store: store)
        for index in 1..<5 { try writer.write(collection(index, at: first + Int64(index) * 1000)) }
        try await assertReadsBack(store, (0..<5).map { first + Int64($0) * 1000 })
    }

    func testAVersion4StoreIsUpgradedInPlaceAndKeepsItsNamesAndExits() async throws {
        let range = (from: first - 1000, to: first + 10_000)
        let store = try upgradedStore(from: 4)
        let upgraded = try await store.processes(from: range.from, to: range.to).processes
        let writer = HistoryWriter(store: store)
        for index in 2..<5 { try writer.write(collection(index, at: first + Int64(index) * 1000)) }
        try await assertReadsBack(store, (0..<5).map { first + Int64($0) * 1000 })
        let all = try await store.processes(from: range.from, to: range.to).processes
        // Written as version 5 throughout, for comparison.
        try FileManager.default.removeItem(atPath: directory)
        let fresh = try HistoryStore(directory: directory)
        let freshWriter = HistoryWriter(store: fresh)
        for index in 0..<5 { try freshWriter.write(collection(index, at: first + Int64(index) * 1000)) }
        let expected = try await fresh.processes(from: range.from, to: range.to).processes
        // Who each process was and how it ended (the figures differ: the old store holds two collections).
        func identity(_ process: ProcessActivity) -> String {
            "\(process.pid) \(process.state) \(String(describing: process.comm)) \(String(describing: process.command)) "
                + "\(String(describing: process.uid)) \(String(describing: process.startTimeMilliseconds)) \(String(describing: process.ppid)) "
                + "\(String(describing: process.exitTimeMilliseconds)) \(String(describing: process.exitCode)) "
                + "\(String(describing: process.exitSignal)) \(String(describing: process.cgroupID)) \(String(describing: process.totals))"
        }
        XCTAssertEqual(upgraded.count, 3, "the daemon and the two jobs of the version 4 rows")
        XCTAssertEqual(upgraded.map(identity), expected.filter { $0.pid < 1002 }.map(identity))
        XCTAssertEqual(all, expected)
        XCTAssertEqual(all.first { $0.pid == 1001 }?.command, "/bin/sh -c job --every-second")
        XCTAssertEqual(all.first { $0.pid == 1001 }?.totals?.since, .processStart)
        let names = try await fresh.pool.read { db in try String.fetchAll(db, sql: "SELECT text FROM name ORDER BY text") }
        XCTAssertEqual(names, ["/bin/sh -c job --every-second", "/usr/sbin/daemon --foreground", "daemon", "job", "process_start"], "each string once")
    }

    /// Retention takes the names only the deleted process rows named, and keeps the others.
    func testRetentionDeletesTheNamesNoProcessRowNamesAnyMore() async throws {
        let store = try HistoryStore(directory: directory)
        func job(_ index: Int, command: String) -> RecordedCollection {
            var recorded = collection(index, at: first + Int64(index) * 1000)
            recorded.processes?[1].command = command
            return recorded
        }
        let writer = HistoryWriter(store: store)
        for index in 0..<4 { try writer.write(job(index, command: "/bin/job --run \(index)")) }
        // A second writer (a restart): collection 4 starts a base of its own, the daemon's row is
        // written again, and the names already stored are found by their hash.
        let restarted = HistoryWriter(store: store)
        for index in 4..<6 { try restarted.write(job(index, command: "/bin/job --run \(index)")) }
        // The age limit keeps the last two seconds: jobs 0-3 and their command lines go.
        _ = try restarted.enforce(maxBytes: 256 << 20, maxAgeSeconds: 2, now: first + 6000)
        let names = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT text FROM name ORDER BY text") }
        XCTAssertEqual(names, ["/bin/job --run 4", "/bin/job --run 5", "/usr/sbin/daemon --foreground", "daemon", "job", "process_start"])
        // A name swept and needed again is written again, not referred to as gone.
        try restarted.write(job(6, command: "/bin/job --run 0"))
        try await assertReadsBack(store, [4, 5, 6].map { first + Int64($0) * 1000 })
        let all = try await store.processes(from: first + 3000, to: first + 7000).processes
        XCTAssertEqual(all.first { $0.pid == 1006 }?.command, "/bin/job --run 0")
        XCTAssertEqual(all.first { $0.pid == 10 }?.command, "/usr/sbin/daemon --foreground")
    }

    /// A store made before incremental vacuum took (WAL first, so auto_vacuum stayed 0) is converted
    /// at open, keeps its rows, and then gives retention's cuts back: the file shrinks.
    func testAStoreWithoutIncrementalVacuumIsConvertedAndRetentionShrinksTheFile() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(HistoryStore.fileName)
        let old = try DatabasePool(path: path)
        try await old.writeWithoutTransaction { db in try db.execute(sql: "CREATE TABLE unrelated (x)") }
        let before = try await old.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") }
        XCTAssertEqual(before, 0)
        try old.close()

        let store = try HistoryStore(directory: directory)
        let after = try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") }
        XCTAssertEqual(after, 2, "incremental")
        let writer = HistoryWriter(store: store)
        // Every collection its own command lines, so each adds pages.
        for index in 0..<400 {
            var recorded = collection(index, at: first + Int64(index) * 1000)
            recorded.processes?[1].command = String(repeating: "/bin/job --run \(index) ", count: 200)
            try writer.write(recorded)
        }
        func fileBytes() throws -> Int {
            try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        }
        try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let full = try fileBytes()
        _ = try writer.enforce(maxBytes: 256 << 20, maxAgeSeconds: 10, now: first + 400_000)
        let trimmed = try fileBytes()
        let held = try await store.extent()
        print("History: a converted store's file went from \(full) to \(trimmed) bytes when retention kept \(held.collections) of 400 collections")
        XCTAssertLessThan(trimmed, full / 4, "the file did not shrink")
        let oldest = try XCTUnwrap(held.oldest)
        try await assertReadsBack(store, Array(stride(from: oldest, through: first + 399_000, by: 1000)))
    }

    func testAVersion5StoreIsUpgradedInPlaceAndReadsItsJSONBesideTheCompactRows() async throws {
        let store = try upgradedStore(from: 5)
        let writer = HistoryWriter(store: store)
        for index in 2..<5 { try writer.write(collection(index, at: first + Int64(index) * 1000)) }
        try await assertReadsBack(store, (0..<5).map { first + Int64($0) * 1000 })
        let formats = try await store.pool.read { db in
            try Int64?.fetchAll(db, sql: "SELECT metrics_format FROM collection ORDER BY t")
        }
        XCTAssertEqual(formats, [nil, nil, 1, 1, 1], "the old rows keep JSON, the new ones are compact")
        let processes = try await store.processes(from: first - 1000, to: first + 10_000).processes
        XCTAssertEqual(processes.first { $0.pid == 1001 }?.command, "/bin/sh -c job --every-second")
    }

    func testAVersion3StoreIsUpgradedInPlaceAndKeepsItsRows() async throws {
        let store = try upgradedStore(from: 3)
        let writer = HistoryWriter(store: store)
        for index in 2..<5 { try writer.write(collection(index, at: first + Int64(index) * 1000)) }
        // The old rows (one on its own, one against it) and the new ones.
        try await assertReadsBack(store, (0..<5).map { first + Int64($0) * 1000 })
    }

    /// Collections in a store as version 2 (without `metrics_base`, one collection), 3 (without
    /// `metrics_lists`, a base and a row compressed against it), 4 (the same with `metrics_lists`)
    /// wrote them: each with its strings in the `process` rows, no `name` table; or as version 5 (with
    /// `name`): every one with its metrics as JSON, no `metrics_format`.
    private func writeOldStore(version: Int) throws {
        let store = try HistoryStore(directory: directory)
        let writer = HistoryWriter(store: store)
        writer.writesCompact = false
        try writer.write(collection(0, at: first))
        if version >= 3 { try writer.write(collection(1, at: first + 1000)) }
        try store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE collection DROP COLUMN metrics_format")
            guard version < 5 else { return try db.execute(sql: "PRAGMA user_version = 5") }
            try db.execute(
                sql: """
                    CREATE TABLE process_v4 (
                        pid INTEGER NOT NULL, start_ms INTEGER NOT NULL, comm TEXT, uid INTEGER, command TEXT, seen_ms INTEGER NOT NULL,
                        ppid INTEGER, exit_ms INTEGER, exit_code INTEGER, exit_signal INTEGER, cgroup_id INTEGER, totals BLOB, since TEXT,
                        since_ms INTEGER, PRIMARY KEY (pid, start_ms)
                    ) WITHOUT ROWID;
                    INSERT INTO process_v4
                        SELECT pid, start_ms, (SELECT text FROM name WHERE id = comm), uid, (SELECT text FROM name WHERE id = command), seen_ms,
                            ppid, exit_ms, exit_code, exit_signal, cgroup_id, totals, (SELECT text FROM name WHERE id = since), since_ms
                        FROM process;
                    DROP TABLE process;
                    DROP TABLE name;
                    ALTER TABLE process_v4 RENAME TO process;
                    """
            )
            guard version < 4 else { return try db.execute(sql: "PRAGMA user_version = 4") }
            try db.execute(sql: "ALTER TABLE collection DROP COLUMN metrics_lists")
            if version == 2 { try db.execute(sql: "ALTER TABLE collection DROP COLUMN metrics_base") }
            try db.execute(sql: "PRAGMA user_version = \(version)")
        }
        try store.pool.close()
    }

    /// A store written as `version` and opened again: upgraded in place, not moved aside.
    private func upgradedStore(from version: Int, file: StaticString = #filePath, line: UInt = #line) throws -> HistoryStore {
        try writeOldStore(version: version)
        let store = try HistoryStore(directory: directory)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: store.path + ".v\(version)"), "a version \(version) store must not be moved aside",
            file: file, line: line
        )
        XCTAssertEqual(try userVersion(store), HistoryStore.schemaVersion, file: file, line: line)
        return store
    }

    private func userVersion(_ store: HistoryStore) throws -> Int? {
        try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
    }
}
