import Foundation
import GRDB
import SmoothTaskModel
import Synchronization

/// The history: every recorded collection in one SQLite database (GRDB) in the state directory.
///
/// Schema (chosen by measured bytes per collection, BENCHMARKS.md): one `collection` row per
/// collection keyed by its time (the rowid, so the table is stored in time order and a range or a
/// retention cut is one b-tree range), holding the system figures zlib-compressed in the compact
/// encoding (``CompactEncoder``; JSON before schema 6) and the
/// window's process and cgroup rows as compact varint blobs; names, owners and exits are written
/// once per process in `process` and once per cgroup in `cgroup`, not in every collection, and the
/// strings a process row names once per distinct string in `name` (``InternedNames``).
///
/// WAL mode with `synchronous=NORMAL`: each collection is one transaction, so a `kill -9` loses
/// nothing committed and never corrupts; a power cut can lose the last few commits.
public final class HistoryStore: Sendable {
    /// The database file inside the state directory.
    public static let fileName = "history.sqlite"
    /// Bumped on a schema change; an older file is moved aside rather than misread, unless it can be
    /// brought up to date in place. 6: `metrics_format`, a collection's metrics in the compact
    /// encoding (``CompactEncoder``) instead of JSON (older rows keep NULL: JSON, and read as before). 5: `process` refers to its comm, command line and `since` by id in
    /// `name` (``InternedNames``) instead of holding the text. 4: `metrics_lists`, a collection whose JSON left out the per-process
    /// lists its process rows rebuild (``ProcessListsRecord``). 3: `metrics_base`, a collection's JSON compressed against an earlier
    /// one's (a version 2 file gains the column, its rows stay readable). 2: process and cgroup rows as
    /// bit columns with times in microseconds (1: varints, nanoseconds).
    static let schemaVersion = 6
    /// Versions brought up to ``schemaVersion`` by adding what they lack.
    static let upgradableVersions = [2, 3, 4, 5]
    /// SQLite page size of a new store: a collection row of 2-3 KB fits one to a 4 KiB page, wasting
    /// the rest; 16 KiB pages hold several (BENCHMARKS.md), at 16 KiB of log per commit.
    static let pageSize = 16384
    /// How far apart two start times of one pid may be and still be one process: live processes'
    /// start times come from /proc in clock ticks, exited ones' from the kernel in nanoseconds, each
    /// converted to the wall clock at a slightly different moment.
    static let startTimeTolerance: Int64 = 1000
    /// The longest window one collection covers (the longest collection interval): a range query
    /// looks this far past its end for collections whose window began inside it.
    static let longestWindow: Int64 = 3_600_000

    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// What ``extent()`` answers, counted once at open and then kept by the writer (``append`` and
    /// ``trim``): `status` asks for it on every call, and SQLite finds `count(*)` (and `min(t)` with
    /// `max(t)` in one query) by reading every page of the table: 1-2 ms per 4,000 collections here,
    /// most of a second for a full week's store.
    private let held: Mutex<(oldest: Int64?, newest: Int64?, collections: Int)>

    /// Opens (creating if needed) the store in `directory`. A store of another schema version is
    /// moved aside to `history.sqlite.v<N>` and a fresh one started: its rows cannot be read any more.
    public init(directory: String) throws(HistoryError) {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.path = path
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
            var opened = try Self.open(path)
            let version = try opened.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } ?? 0
            if Self.upgradableVersions.contains(version) {
                try opened.writeWithoutTransaction { db in
                    try Self.upgrade(db, from: version)
                    // The log that rewrote the process table is as large as the table: truncated now,
                    // not at the first retention cut; the table's old pages go back to the file system.
                    try db.execute(sql: "PRAGMA incremental_vacuum")
                    try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
            } else if version != 0, version != Self.schemaVersion {
                try opened.close()
                let aside = path + ".v\(version)"
                try? FileManager.default.removeItem(atPath: aside)
                try FileManager.default.moveItem(atPath: path, toPath: aside)
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                opened = try Self.open(path)
            }
            pool = opened
            try pool.writeWithoutTransaction { db in
                try Self.createSchema(db)
                try Self.giveFreedPagesBack(db)
            }
            let counted = try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT min(t), max(t), count(*) FROM collection")
            }
            held = Mutex((counted?[0], counted?[1], counted?[2] ?? 0))
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    private static func open(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.label = "smoothtask-history"
        // Readers never wait for the writer in WAL mode; the writer waits at most this for a checkpoint.
        configuration.busyMode = .timeout(2)
        configuration.prepareDatabase { db in
            // Before the file exists (no-ops after): see pageSize. auto_vacuum must also come before
            // GRDB switches the file to WAL, which writes its first page: after that, only a VACUUM
            // changes it (see giveFreedPagesBack).
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// Turns on incremental vacuum in a store made before it took (the pragma once came after the
    /// switch to WAL, so no store had it), so that retention's cuts give their pages back to the file
    /// system and the file shrinks. Rewrites the file once: 4.3 s for a 164 MB file here, with builds
    /// running. The rewrite needs room for a second copy; without it the store stays as it was, still
    /// bounded (new rows reuse the cut pages), and the next start tries again.
    private static func giveFreedPagesBack(_ db: Database) throws {
        guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 0 else { return }
        do {
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute(sql: "VACUUM")
        } catch {
            try db.execute(sql: "PRAGMA auto_vacuum = NONE")
        }
        try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }

    private static func createSchema(_ db: Database) throws {
        try db.inTransaction {
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS collection (
                        t INTEGER PRIMARY KEY,
                        window_ms INTEGER NOT NULL,
                        metrics BLOB NOT NULL,
                        metrics_size INTEGER NOT NULL,
                        metrics_base INTEGER,
                        metrics_lists INTEGER,
                        metrics_format INTEGER,
                        processes BLOB,
                        processes_size INTEGER,
                        cgroups BLOB,
                        cgroups_size INTEGER,
                        cgroups_source TEXT,
                        cgroups_note TEXT
                    );
                    CREATE TABLE IF NOT EXISTS name (
                        id INTEGER PRIMARY KEY,
                        hash INTEGER NOT NULL,
                        text TEXT NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS name_hash ON name (hash);
                    CREATE TABLE IF NOT EXISTS process (
                        pid INTEGER NOT NULL,
                        start_ms INTEGER NOT NULL,
                        comm INTEGER,
                        uid INTEGER,
                        command INTEGER,
                        seen_ms INTEGER NOT NULL,
                        ppid INTEGER,
                        exit_ms INTEGER,
                        exit_code INTEGER,
                        exit_signal INTEGER,
                        cgroup_id INTEGER,
                        totals BLOB,
                        since INTEGER,
                        since_ms INTEGER,
                        PRIMARY KEY (pid, start_ms)
                    ) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS cgroup (
                        id INTEGER PRIMARY KEY,
                        path TEXT,
                        unit TEXT,
                        seen_ms INTEGER NOT NULL
                    );
                    """
            )
            try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
            return .commit
        }
    }

    /// Version 2 -> 3: collections may name the one their metrics were compressed against; 3 -> 4: a
    /// collection's JSON may leave out the lists its process rows rebuild (old rows keep NULL: as
    /// written); 4 -> 5: the `process` table's strings move to `name`, each once, and the table is
    /// rewritten with their ids; 5 -> 6: collections may hold their metrics in the compact encoding
    /// (old rows keep NULL: JSON).
    private static func upgrade(_ db: Database, from version: Int) throws {
        // The writer's hash, for the rows moved in SQL.
        db.add(
            function: DatabaseFunction("smoothtask_name_hash", argumentCount: 1, pure: true) { values in
                String.fromDatabaseValue(values[0]).map(InternedNames.hash)
            }
        )
        try db.inTransaction {
            if version < 3 { try db.execute(sql: "ALTER TABLE collection ADD COLUMN metrics_base INTEGER") }
            if version < 4 { try db.execute(sql: "ALTER TABLE collection ADD COLUMN metrics_lists INTEGER") }
            try db.execute(sql: "ALTER TABLE collection ADD COLUMN metrics_format INTEGER")
            guard version < 5 else {
                try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
                return .commit
            }
            try db.execute(
                sql: """
                    CREATE TABLE name (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, text TEXT NOT NULL);
                    INSERT INTO name (hash, text)
                        SELECT smoothtask_name_hash(text), text FROM (
                            SELECT comm AS text FROM process WHERE comm IS NOT NULL
                            UNION SELECT command FROM process WHERE command IS NOT NULL
                            UNION SELECT since FROM process WHERE since IS NOT NULL
                        );
                    CREATE INDEX name_hash ON name (hash);
                    CREATE TABLE process_v5 (
                        pid INTEGER NOT NULL, start_ms INTEGER NOT NULL, comm INTEGER, uid INTEGER, command INTEGER,
                        seen_ms INTEGER NOT NULL, ppid INTEGER, exit_ms INTEGER, exit_code INTEGER, exit_signal INTEGER,
                        cgroup_id INTEGER, totals BLOB, since INTEGER, since_ms INTEGER, PRIMARY KEY (pid, start_ms)
                    ) WITHOUT ROWID;
                    INSERT INTO process_v5
                        SELECT pid, start_ms,
                            (SELECT id FROM name WHERE hash = smoothtask_name_hash(p.comm) AND text = p.comm), uid,
                            (SELECT id FROM name WHERE hash = smoothtask_name_hash(p.command) AND text = p.command),
                            seen_ms, ppid, exit_ms, exit_code, exit_signal, cgroup_id, totals,
                            (SELECT id FROM name WHERE hash = smoothtask_name_hash(p.since) AND text = p.since), since_ms
                        FROM process p;
                    DROP TABLE process;
                    ALTER TABLE process_v5 RENAME TO process;
                    """
            )
            try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
            return .commit
        }
    }

    // MARK: - Writing (the recorder's thread only)

    /// The most write-ahead log kept whatever the budget: checkpointing every few MiB costs nothing
    /// noticeable, and the log is disk the history's rows cannot use.
    static let maximumLogBytes = 4 << 20
    /// Pages one collection's commit may write: the leaves of `collection`, `process`, `name`, its
    /// hash index and `cgroup`, and a pointer-map page (auto-vacuum).
    static let pagesPerCommit = 6

    /// Sets how much write-ahead log may build up (``HistoryRecorder/logBytes(maxBytes:)``), so the
    /// log never takes the store over its budget.
    func limitLog(toBytes bytes: Int) throws {
        try pool.writeWithoutTransaction { db in
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            let pages = max(Self.pagesPerCommit, min(Self.maximumLogBytes, bytes) / pageSize)
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
            try db.execute(sql: "PRAGMA journal_size_limit = \(pages * pageSize)")
        }
    }

    /// Writes one collection and the identities it is the first to name, in one transaction; the
    /// identities' strings go through `names`.
    func append(
        _ row: EncodedCollection, processes: [ProcessIdentity], seen: [ProcessIdentity.Key], cgroups: [CgroupCPUUsage],
        names: inout InternedNames
    ) throws {
        let replaced = try pool.write { db -> Bool in
            // Only a time at or before the newest held can replace a row: the usual append asks nothing.
            let mayReplace = held.withLock { extent in extent.newest.map { row.timestamp <= $0 } ?? false }
            let replacing = try mayReplace
                && (Bool.fetchOne(db, sql: "SELECT 1 FROM collection WHERE t = ?", arguments: [row.timestamp]) ?? false)
            // Cached: compiling the statement anew was part of every collection's write.
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO collection
                        (t, window_ms, metrics, metrics_size, metrics_base, metrics_lists, metrics_format, processes, processes_size,
                         cgroups, cgroups_size, cgroups_source, cgroups_note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    row.timestamp, row.windowMilliseconds, row.metrics.data, row.metrics.size, row.metricsBase,
                    row.metricsHoldLists ? 1 : nil, row.metricsFormat == .json ? nil : row.metricsFormat.rawValue, row.processes?.data,
                    row.processes?.size, row.cgroups?.data, row.cgroups?.size, row.cgroupsSource, row.cgroupsNote,
                ]
            )
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO process
                        (pid, start_ms, comm, uid, command, seen_ms, ppid, exit_ms, exit_code, exit_signal, cgroup_id, totals, since, since_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for process in processes {
                var totals: Data?
                if let exit = process.exit {
                    var writer = VarintWriter()
                    ProcessFigures(exit.totals).write(to: &writer)
                    totals = writer.data
                }
                try insert.execute(arguments: [
                    process.key.pid, process.key.startMilliseconds, try names.id(of: process.comm, in: db), process.uid.map { Int64($0) },
                    try names.id(of: process.command, in: db), row.timestamp, process.exit?.ppid, process.exit?.exitTimeMilliseconds,
                    process.exit?.exitCode, process.exit?.exitSignal, process.exit.map { Int64(bitPattern: $0.cgroupID) }, totals,
                    try names.id(of: process.exit?.totals.since.rawValue, in: db), process.exit?.totals.sinceMilliseconds,
                ])
            }
            let touch = try db.cachedStatement(sql: "UPDATE process SET seen_ms = ? WHERE pid = ? AND start_ms = ?")
            for key in seen { try touch.execute(arguments: [row.timestamp, key.pid, key.startMilliseconds]) }
            let cgroup = try db.cachedStatement(sql: "INSERT OR REPLACE INTO cgroup (id, path, unit, seen_ms) VALUES (?, ?, ?, ?)")
            for usage in cgroups {
                guard let id = usage.id else { continue }
                try cgroup.execute(arguments: [Int64(bitPattern: id), usage.cgroup, usage.unit, row.timestamp])
            }
            return replacing
        }
        held.withLock { extent in
            extent.oldest = min(extent.oldest ?? row.timestamp, row.timestamp)
            extent.newest = max(extent.newest ?? row.timestamp, row.timestamp)
            if !replaced { extent.collections += 1 }
        }
    }

    /// Bytes the store's pages hold (the file less its free pages and its write-ahead log), the
    /// figure retention bounds.
    public func usedBytes() throws -> Int64 {
        // Cached statements: the writer asks after every collection.
        try pool.writeWithoutTransaction { db in
            let pageSize = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA page_size")) ?? 4096
            let pages = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA page_count")) ?? 0
            let free = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA freelist_count")) ?? 0
            return (pages - free) * pageSize
        }
    }

    /// Deletes the oldest collections until the pages in use are at most `targetBytes` and none is
    /// older than `oldestAllowed` (Unix ms), with the identities nothing refers to any more, and
    /// gives the freed pages back. Names no process row refers to go too when `sweepNames` is set
    /// or the size limit cut: that scans every process row, too much for each minute's age cut.
    /// Returns how many collections went and whether names were swept.
    func trim(toBytes targetBytes: Int64, olderThan oldestAllowed: Int64, sweepNames: Bool) throws -> (deleted: Int, sweptNames: Bool) {
        var sweep = sweepNames
        var deleted = 0
        try pool.writeWithoutTransaction { db in
            // Neither cut goes past the newest base: its group's rows are the newest held, and with
            // their base gone no later one would be left to expand them (they would read as damaged).
            // So the age limit may keep up to one group (HistoryWriter.collectionsPerBase) longer.
            let newestBase = try Int64.fetchOne(
                db, sql: "SELECT t FROM collection WHERE metrics_base IS NULL ORDER BY t DESC LIMIT 1"
            ) ?? Int64.max
            try db.inTransaction {
                try db.execute(sql: "DELETE FROM collection WHERE t < ?", arguments: [min(oldestAllowed, newestBase)])
                deleted += db.changesCount
                return .commit
            }
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            func used() throws -> Int64 {
                let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                return (pages - free) * pageSize
            }
            var inUse = try used()
            while inUse > targetBytes {
                let count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM collection") ?? 0
                guard count > 1 else { break }
                // Cut what the average collection would free, a tenth more, at least one.
                let average = max(1, inUse / count)
                let cut = min(count - 1, max(1, (inUse - targetBytes) / average + count / 10 + 1))
                sweep = true
                var cutNow = 0
                try db.inTransaction {
                    try db.execute(
                        sql: "DELETE FROM collection WHERE t <= (SELECT t FROM collection ORDER BY t LIMIT 1 OFFSET ?) AND t < ?",
                        arguments: [cut - 1, newestBase]
                    )
                    cutNow = db.changesCount
                    return .commit
                }
                deleted += cutNow
                guard cutNow > 0 else { break }
                inUse = try used()
            }
            if deleted > 0 {
                try db.inTransaction {
                    // Rows compressed against a deleted base: every row before the first self-contained
                    // one left (HistoryWriter starts a new base with each such row).
                    try db.execute(
                        sql: """
                            DELETE FROM collection
                            WHERE t < (SELECT t FROM collection WHERE metrics_base IS NULL ORDER BY t LIMIT 1)
                            """
                    )
                    deleted += db.changesCount
                    let oldest = try Int64.fetchOne(db, sql: "SELECT min(t) FROM collection") ?? Int64.max
                    try db.execute(sql: "DELETE FROM process WHERE seen_ms < ?", arguments: [oldest])
                    try db.execute(sql: "DELETE FROM cgroup WHERE seen_ms < ?", arguments: [oldest])
                    guard sweep else { return .commit }
                    try db.execute(
                        sql: """
                            DELETE FROM name WHERE id NOT IN (
                                SELECT comm FROM process WHERE comm IS NOT NULL
                                UNION SELECT command FROM process WHERE command IS NOT NULL
                                UNION SELECT since FROM process WHERE since IS NOT NULL
                            )
                            """
                    )
                    return .commit
                }
                try db.execute(sql: "PRAGMA incremental_vacuum")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            guard deleted > 0 else { return }
            let oldest = try Int64.fetchOne(db, sql: "SELECT t FROM collection ORDER BY t LIMIT 1")
            held.withLock { extent in
                extent.oldest = oldest
                extent.collections = max(0, extent.collections - deleted)
                if oldest == nil { extent.newest = nil }
            }
        }
        return (deleted, deleted > 0 && sweep)
    }

    // MARK: - Reading (any thread; readers never block the writer)

    /// Oldest and newest collection time and how many are held.
    public func extent() async throws -> (oldest: Int64?, newest: Int64?, collections: Int) {
        held.withLock { $0 }
    }

    /// SQLite's own check of every page and index: `["ok"]` when the file is sound.
    public func integrityCheck() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Bytes of the database and its write-ahead log on disk.
    public func fileBytes() -> Int64 {
        [path, path + "-wal", path + "-shm"].reduce(0) { sum, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return sum + size
        }
    }

    /// The recorded collection taken at or just before `at` (Unix ms), or the first one after
    /// `after`; `nil` when there is none.
    public func collection(at: Int64? = nil, after: Int64? = nil) async throws -> EbpfMetrics? {
        let blobs = try await pool.read { db -> (metrics: Blob, base: Blob?, processes: Blob?, timestamp: Int64, compact: Bool)? in
            let columns = "t, metrics, metrics_size, metrics_base, metrics_lists, processes, processes_size, metrics_format"
            let row: Row?
            if let after {
                row = try Row.fetchOne(
                    db, sql: "SELECT \(columns) FROM collection WHERE t > ? ORDER BY t LIMIT 1", arguments: [after]
                )
            } else {
                row = try Row.fetchOne(
                    db, sql: "SELECT \(columns) FROM collection WHERE t <= ? ORDER BY t DESC LIMIT 1", arguments: [at ?? Int64.max]
                )
            }
            guard let row else { return nil }
            let metrics = Blob(data: row[1], size: row[2])
            // Only a row whose lists were left out needs its process rows.
            var processes: Blob?
            if (row[4] as Int64?) == 1 {
                guard let data: Data = row[5] else { throw HistoryError.corrupt("a collection's lists refer to process rows it lacks") }
                processes = Blob(data: data, size: row[6])
            }
            let compact = (row[7] as Int64?) == EncodedCollection.Format.compact.rawValue
            guard let baseTime: Int64 = row[3] else { return (metrics, nil, processes, row[0], compact) }
            guard let base = try Row.fetchOne(db, sql: "SELECT metrics, metrics_size FROM collection WHERE t = ?", arguments: [baseTime])
            else { throw HistoryError.corrupt("the collection its metrics were compressed against (\(baseTime)) is gone") }
            return (metrics, Blob(data: base[0], size: base[1]), processes, row[0], compact)
        }
        guard let blobs else { return nil }
        var json: Data
        if let base = blobs.base, let size = blobs.metrics.size {
            let dictionary = try Self.expand(base.data, size: base.size)
            json = try Deflate.expand(blobs.metrics.data, expectedBytes: size, dictionary: dictionary)
        } else {
            json = try Self.expand(blobs.metrics.data, size: blobs.metrics.size)
        }
        if blobs.compact { json = try CompactTranscoder.json(from: json) }
        var metrics: EbpfMetrics
        if let processes = blobs.processes {
            let stored = try JSONDecoder().decode(StoredMetrics.self, from: json)
            let rows = try ProcessRowCodec.decode(try Self.expand(processes.data, size: processes.size), timestamp: blobs.timestamp)
            guard let rebuilt = stored.lists.rebuild(stored.metrics, rows: rows) else {
                throw HistoryError.corrupt("a collection's lists name processes its rows lack")
            }
            metrics = rebuilt
        } else {
            metrics = try JSONDecoder().decode(EbpfMetrics.self, from: json)
        }
        metrics.recorded = true
        return metrics
    }

    /// Every process recorded in `from...to` (Unix ms), window figures summed over the collections
    /// whose windows overlap the range.
    public func processes(from: Int64, to: Int64) async throws -> RecordedProcessRange {
        try await pool.read { db in
            var sums: [ProcessIdentity.Key: (figures: ProcessFigures, exited: Bool)] = [:]
            var collections = 0
            var covered: Int64 = 0
            var newest: Int64?
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t, window_ms, processes, processes_size FROM collection
                    WHERE t > ? AND t <= ? AND t - window_ms < ? ORDER BY t
                    """,
                arguments: [from, to &+ Self.longestWindow, to]
            )
            while let row = try rows.next() {
                let timestamp: Int64 = row[0]
                collections += 1
                covered += row[1]
                newest = timestamp
                guard let blob: Data = row[2] else { continue }
                for process in try ProcessRowCodec.decode(try Self.expand(blob, size: row[3]), timestamp: timestamp) {
                    let key = ProcessIdentity.Key(pid: process.pid, startMilliseconds: process.startMilliseconds ?? 0)
                    var entry = sums[key] ?? (ProcessFigures(), false)
                    entry.figures.add(process.window)
                    entry.exited = entry.exited || process.exited
                    sums[key] = entry
                }
            }
            // One process whose start time was converted differently in two runs is one row.
            var merged: [(key: ProcessIdentity.Key, figures: ProcessFigures, exited: Bool)] = []
            for (key, entry) in sums.sorted(by: { ($0.key.pid, $0.key.startMilliseconds) < ($1.key.pid, $1.key.startMilliseconds) }) {
                if let last = merged.last, last.key.pid == key.pid,
                    key.startMilliseconds - last.key.startMilliseconds <= Self.startTimeTolerance
                {
                    merged[merged.count - 1].figures.add(entry.figures)
                    merged[merged.count - 1].exited = last.exited || entry.exited
                } else {
                    merged.append((key, entry.figures, entry.exited))
                }
            }
            let lookup = try db.cachedStatement(
                sql: """
                    SELECT comm, uid, command, ppid, exit_ms, exit_code, exit_signal, cgroup_id, totals, since, since_ms, start_ms
                    FROM process WHERE pid = ? AND start_ms BETWEEN ? AND ? ORDER BY exit_ms IS NULL, abs(start_ms - ?) LIMIT 1
                    """
            )
            // Names by id, each read once: an hour's thousands of processes share a few hundred.
            let nameLookup = try db.cachedStatement(sql: "SELECT text FROM name WHERE id = ?")
            var names: [Int64: String] = [:]
            func name(_ id: Int64?) throws -> String? {
                guard let id else { return nil }
                if let known = names[id] { return known }
                let text = try String.fetchOne(nameLookup, arguments: [id])
                names[id] = text
                return text
            }
            var processes: [ProcessActivity] = []
            var figures: [ProcessTotals] = []
            processes.reserveCapacity(merged.count)
            for entry in merged {
                let key = entry.key
                var activity = ProcessActivity(pid: key.pid, state: entry.exited ? .exited : .live)
                let start = key.startMilliseconds
                let identity = try Row.fetchOne(
                    lookup, arguments: [key.pid, start - Self.startTimeTolerance, start + Self.startTimeTolerance, start]
                )
                if let identity {
                    activity.comm = try name(identity[0])
                    activity.uid = (identity[1] as Int64?).map { UInt32(truncatingIfNeeded: $0) }
                    activity.command = try name(identity[2])
                    activity.startTimeMilliseconds = identity[11]
                    if entry.exited, let exitTime: Int64 = identity[4] {
                        activity.ppid = identity[3]
                        activity.exitTimeMilliseconds = exitTime
                        activity.exitCode = identity[5]
                        activity.exitSignal = identity[6]
                        activity.cgroupID = (identity[7] as Int64?).map { UInt64(bitPattern: $0) }
                        if let blob: Data = identity[8] {
                            var reader = VarintReader(blob)
                            let since = try name(identity[9]).flatMap(ProcessTotals.Since.init(rawValue:)) ?? .accountingStart
                            activity.totals = try ProcessFigures.read(from: &reader).totals(since: since, sinceMilliseconds: identity[10] ?? 0)
                        }
                    }
                }
                let sum = entry.figures.totals(since: .accountingStart, sinceMilliseconds: from)
                activity.cpuTimeNanoseconds = sum.cpuTimeNanoseconds
                activity.cpuPercent = sum.cpuTimeNanoseconds.map { covered > 0 ? Double($0) / Double(covered) / 1e4 : 0 }
                activity.syscalls = sum.syscalls
                activity.userFaults = sum.userFaults
                activity.reclaimStalls = sum.reclaimStalls
                activity.reclaimStallNanoseconds = sum.reclaimStallNanoseconds
                processes.append(activity)
                figures.append(sum)
            }
            return RecordedProcessRange(
                collections: collections, coveredMilliseconds: covered, newest: newest, processes: processes, sums: figures
            )
        }
    }

    /// CPU per cgroup summed over the collections whose windows overlap `from...to` (Unix ms).
    public func cgroups(from: Int64, to: Int64) async throws -> RecordedCgroupRange {
        try await pool.read { db in
            var sums: [UInt64: (cpu: UInt64, total: UInt64)] = [:]
            var collections = 0
            var covered: Int64 = 0
            var newest: Int64?
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t, window_ms, cgroups, cgroups_size FROM collection
                    WHERE t > ? AND t <= ? AND t - window_ms < ? ORDER BY t
                    """,
                arguments: [from, to &+ Self.longestWindow, to]
            )
            while let row = try rows.next() {
                collections += 1
                covered += row[1]
                newest = row[0]
                guard let blob: Data = row[2] else { continue }
                for cgroup in try CgroupRowCodec.decode(try Self.expand(blob, size: row[3])) {
                    let previous = sums[cgroup.id]?.cpu ?? 0
                    sums[cgroup.id] = (previous &+ cgroup.cpuNanoseconds, cgroup.cpuTotalNanoseconds)
                }
            }
            let lookup = try db.cachedStatement(sql: "SELECT path, unit FROM cgroup WHERE id = ?")
            var usages: [CgroupCPUUsage] = []
            for (id, sum) in sums where sum.cpu > 0 {
                let names = try Row.fetchOne(lookup, arguments: [Int64(bitPattern: id)])
                usages.append(
                    CgroupCPUUsage(
                        cgroup: names?[0], id: id, unit: names?[1],
                        cpuPercent: covered > 0 ? Double(sum.cpu) / Double(covered) / 1e4 : 0,
                        cpuTimeNanoseconds: sum.cpu, cpuTotalNanoseconds: sum.total
                    )
                )
            }
            return RecordedCgroupRange(collections: collections, coveredMilliseconds: covered, newest: newest, cgroups: usages)
        }
    }

    /// A blob as written: zlib-compressed when `size` (its expanded length) is set, raw otherwise.
    /// A blob as read from a row: its bytes and, when compressed, its expanded size.
    private struct Blob: Sendable {
        var data: Data
        var size: Int?
    }

    static func expand(_ blob: Data, size: Int?) throws(HistoryError) -> Data {
        guard let size else { return blob }
        return try Deflate.expand(blob, expectedBytes: size)
    }
}
