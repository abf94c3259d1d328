import Foundation
import SmoothTaskModel

/// Encodes and writes collections, on the recorder's thread only: remembers which processes and
/// cgroups the store already names, so each is written once, not in every collection.
final class HistoryWriter {
    let store: HistoryStore
    /// Processes the store names, with the collection time last written as their `seen_ms`.
    private var knownProcesses: [ProcessIdentity.Key: Int64] = [:]
    private var knownCgroups: [UInt64: (path: String?, seenMilliseconds: Int64)] = [:]
    /// Ids of the strings the `name` table holds.
    private var names = InternedNames()
    private var lastAgeCheck: Int64 = 0
    private var lastNameSweep: Int64 = 0
    /// The latest collection stored on its own, whose encoded metrics the next ones are compressed
    /// against, how many have been since, and its encoding.
    private var metricsBase: (timestamp: Int64, encoded: Data, uses: Int, format: EncodedCollection.Format)?
    /// Whether the metrics are written in the compact encoding (``CompactEncoder``); tests writing a
    /// store as schema 5 and earlier did set it off (JSON).
    var writesCompact = true
    private let compressor = DeflateStream()

    /// How often a long-running process's or cgroup's `seen_ms` is refreshed: retention deletes the
    /// identities last seen before the oldest collection, so it must advance, but not every tick.
    static let refreshMilliseconds: Int64 = 600_000
    /// Caches larger than this are dropped and rebuilt (each entry is re-written once): a bound on
    /// memory with many short-lived processes.
    static let maximumKnown = 100_000
    /// How often the age limit is applied: it is one indexed delete, but there is no hurry.
    static let ageCheckMilliseconds: Int64 = 60_000
    /// How often an age cut also deletes the names no process row refers to any more: that scans
    /// the whole `process` table (a day of churn is ~10^5-10^6 rows), and a name left over a while
    /// costs only its bytes. A size cut always sweeps.
    static let nameSweepMilliseconds: Int64 = 3_600_000
    /// Collections compressed against one base before the next is stored on its own. Consecutive
    /// collections share most of their JSON: against a base, 90 real ones at 1 s took 1,134 bytes
    /// each instead of 1,918 (60 apart; 10 apart: 1,186, 300: 1,133). Reading one costs one more
    /// row and expansion, and retention drops at most this many rows early with their base.
    static let collectionsPerBase = 60

    init(store: HistoryStore) {
        self.store = store
    }

    /// Writes `collection`; throws what SQLite or the file system refused. After a refusal nothing
    /// of the collection is stored, so what the caches learnt from it is forgotten.
    func write(_ collection: RecordedCollection) throws {
        do {
            try encodeAndAppend(collection)
        } catch {
            knownProcesses = [:]
            knownCgroups = [:]
            names.forget()
            metricsBase = nil
            throw error
        }
    }

    /// The metrics (without the lists `lists` refers to the rows for) in the compact encoding, or
    /// as JSON when `compact` is off or the compact encoding cannot hold them.
    static func encode(_ metrics: EbpfMetrics, lists: ProcessListsRecord?, compact: Bool) throws -> (Data, EncodedCollection.Format) {
        if compact {
            do {
                let encoded = try lists.map { try CompactEncoder.encode(StoredMetrics(metrics: metrics, lists: $0)) } ?? CompactEncoder.encode(metrics)
                return (encoded, .compact)
            } catch {
                // JSON holds whatever the model encodes; the row says which encoding it is in.
            }
        }
        let json = try lists.map { try JSONEncoder().encode(StoredMetrics(metrics: metrics, lists: $0)) } ?? JSONEncoder().encode(metrics)
        return (json, .json)
    }

    private func encodeAndAppend(_ collection: RecordedCollection) throws {
        let timestamp = collection.timestamp
        var processBlob: Data?
        var metrics = collection.metrics
        var lists: ProcessListsRecord?
        if let processes = collection.processes {
            // The rows as the store will read them back (times in microseconds), so the lists' check
            // below is the reader's, without decoding the blob just encoded.
            let rows = processes.map(ProcessRowCodec.Row.init(storing:))
            processBlob = ProcessRowCodec.encode(rows, timestamp: timestamp)
            if let windowNanoseconds = collection.windowNanoseconds {
                lists = ProcessListsRecord.strip(&metrics, rows: rows, windowNanoseconds: windowNanoseconds)
            }
        }
        let (encoded, format) = try Self.encode(metrics, lists: lists, compact: writesCompact)
        // A base in another encoding shares little with this one: start a new base.
        let base = metricsBase.flatMap { $0.uses < Self.collectionsPerBase && $0.format == format ? $0 : nil }
        var row = EncodedCollection(
            timestamp: timestamp, windowMilliseconds: collection.windowMilliseconds,
            metrics: try EncodedCollection.Blob(encoded, dictionary: base?.encoded, compressor: compressor)
        )
        row.metricsHoldLists = lists != nil
        row.metricsFormat = format
        // A row stored as is starts a new base too: every row after a self-contained one refers to
        // it, which is what lets retention find the rows whose base it deleted (HistoryStore.trim).
        if let base, row.metrics.size != nil {
            row.metricsBase = base.timestamp
            metricsBase?.uses += 1
        } else {
            // Compressed against the base but stored as is (it did not pay): on its own it may pay.
            if base != nil { row.metrics = try EncodedCollection.Blob(encoded, compressor: compressor) }
            metricsBase = (timestamp, encoded, 0, format)
        }
        var identities: [ProcessIdentity] = []
        var seen: [ProcessIdentity.Key] = []
        if knownProcesses.count > Self.maximumKnown { knownProcesses = [:] }
        if let processes = collection.processes, let processBlob {
            row.processes = try EncodedCollection.Blob(processBlob, compressor: compressor)
            for sample in processes {
                guard let start = sample.startTimeMilliseconds else { continue }
                let key = ProcessIdentity.Key(pid: sample.pid, startMilliseconds: start)
                if sample.exit != nil || knownProcesses[key] == nil {
                    identities.append(ProcessIdentity(key: key, comm: sample.comm, uid: sample.uid, command: sample.command, exit: sample.exit))
                    knownProcesses[key] = timestamp
                } else if let written = knownProcesses[key], timestamp - written > Self.refreshMilliseconds {
                    seen.append(key)
                    knownProcesses[key] = timestamp
                }
            }
        }
        var cgroupNames: [CgroupCPUUsage] = []
        if knownCgroups.count > Self.maximumKnown { knownCgroups = [:] }
        if let report = collection.cgroups {
            row.cgroupsSource = report.source.rawValue
            row.cgroupsNote = report.unavailable
            if let rows = report.cgroups {
                row.cgroups = try EncodedCollection.Blob(CgroupRowCodec.encode(rows), compressor: compressor)
                for usage in rows {
                    guard let id = usage.id else { continue }
                    let known = knownCgroups[id]
                    if known == nil || known?.path != usage.cgroup || timestamp - (known?.seenMilliseconds ?? 0) > Self.refreshMilliseconds {
                        cgroupNames.append(usage)
                        knownCgroups[id] = (usage.cgroup, timestamp)
                    }
                }
            }
        }
        try store.append(row, processes: identities, seen: seen, cgroups: cgroupNames, names: &names)
    }

    /// Applies the retention limits after a write; cheap when nothing is over (three PRAGMA reads).
    /// - Returns: collections deleted.
    func enforce(maxBytes: Int, maxAgeSeconds: Int, now: Int64) throws -> Int {
        let target = Int64(HistoryRecorder.pageBudget(maxBytes: maxBytes))
        let ageDue = now - lastAgeCheck >= Self.ageCheckMilliseconds
        if !ageDue {
            guard try store.usedBytes() > target else { return 0 }
        }
        lastAgeCheck = now
        let (deleted, swept) = try store.trim(
            toBytes: target, olderThan: now - Int64(maxAgeSeconds) * 1000, sweepNames: now - lastNameSweep >= Self.nameSweepMilliseconds
        )
        if swept {
            lastNameSweep = now
            names.forget()
        }
        if deleted > 0 {
            // Identities last seen before the new oldest collection are gone: write them again when next seen.
            knownProcesses = [:]
            knownCgroups = [:]
            // Its base may be gone with them (an age cut, or a size cut of nearly everything).
            metricsBase = nil
        }
        return deleted
    }
}
