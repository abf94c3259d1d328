import Dispatch
import Foundation
import Logging
import SmoothTaskModel
import Synchronization

/// Records each collection into the ``HistoryStore`` on a thread of its own: a collection hands its
/// figures over and returns at once, so neither a tick nor a reply ever waits for the disk.
///
/// A write error (full disk, I/O error) stops recording with the reason in ``info()``; the daemon
/// goes on serving live figures. Switching `enable_history` on again retries.
public final class HistoryRecorder: Sendable {
    /// Collections waiting for the writer at most; more are dropped and counted (a stalled disk
    /// must not grow the daemon's memory).
    public static let maximumPending = 16

    /// What retention and recording are set to, and how recording fares.
    private struct State {
        var enabled: Bool
        var maxBytes: Int
        var maxAgeSeconds: Int
        var pending = 0
        var dropped = 0
        var lastError: String?
        var stopped = false
    }

    /// The store; `nil` when it could not be opened (``info()`` says why).
    public let store: HistoryStore?
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "smoothtask-history", qos: .utility)
    /// Touched only on ``queue``.
    private nonisolated(unsafe) let writer: HistoryWriter?
    private let writerCPU = Atomic<UInt64>(0)
    private let logger: Logger

    /// Opens the store in `directory` (`nil`: no history) with the configuration's retention.
    public init(directory: String?, config: EbpfConfig, logger: Logger) {
        self.logger = logger
        var initial = State(enabled: config.enableHistory, maxBytes: config.historyMaxBytes, maxAgeSeconds: config.historyMaxAgeSeconds)
        var opened: HistoryStore?
        if let directory {
            do {
                opened = try HistoryStore(directory: directory)
                try opened?.limitLog(toBytes: Self.logBytes(maxBytes: config.historyMaxBytes))
            } catch {
                initial.lastError = "\(error)"
                initial.stopped = true
                logger.error("History store unavailable", metadata: ["error": "\(error)"])
            }
        } else {
            initial.lastError = "no state directory (--state-dir)"
            initial.stopped = true
        }
        store = opened
        writer = opened.map(HistoryWriter.init(store:))
        state = Mutex(initial)
    }

    /// The write-ahead log's share of `maxBytes`: a sixteenth, at most ``HistoryStore/maximumLogBytes``
    /// (so the default 256 MiB keeps 244 MiB for rows, not 208).
    /// Never less than one commit's pages (``HistoryStore/pagesPerCommit``): a commit cannot be split,
    /// and at 1 MiB a sixteenth is only four.
    static func logBytes(maxBytes: Int) -> Int {
        max(min(maxBytes / 16, HistoryStore.maximumLogBytes), HistoryStore.pagesPerCommit * HistoryStore.pageSize)
    }

    /// The pages retention keeps in use: what `maxBytes` leaves after the write-ahead log (twice its
    /// checkpoint size: one being written while one is checkpointed) and a sixteenth of slack.
    static func pageBudget(maxBytes: Int) -> Int { maxBytes - 3 * logBytes(maxBytes: maxBytes) }

    /// Follows a configuration change; switching recording on after a write error retries.
    public func apply(_ config: EbpfConfig) {
        let (restart, retentionChanged) = state.withLock { state in
            let restart = config.enableHistory && (!state.enabled || state.stopped) && store != nil
            let changed = state.maxBytes != config.historyMaxBytes || state.maxAgeSeconds != config.historyMaxAgeSeconds
            state.enabled = config.enableHistory
            state.maxBytes = config.historyMaxBytes
            state.maxAgeSeconds = config.historyMaxAgeSeconds
            if restart {
                state.stopped = false
                state.lastError = nil
            }
            return (restart, changed)
        }
        if restart { logger.info("History recording on", metadata: ["path": "\(store?.path ?? "")"]) }
        guard retentionChanged, let store else { return }
        queue.async { [logger] in
            do {
                try store.limitLog(toBytes: Self.logBytes(maxBytes: config.historyMaxBytes))
            } catch {
                logger.warning("History log limit not set", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Hands one collection to the writer; `make` runs on the writer's thread (it may read /proc).
    /// Returns at once; dropped (and counted) when recording is off or the writer is far behind.
    public func record(_ make: @escaping @Sendable () -> RecordedCollection) {
        let accepted = state.withLock { state in
            guard state.enabled, !state.stopped, writer != nil else { return false }
            guard state.pending < Self.maximumPending else {
                state.dropped += 1
                return false
            }
            state.pending += 1
            return true
        }
        guard accepted else { return }
        queue.async { [self] in
            let started = Self.threadCPUNanoseconds()
            defer {
                state.withLock { $0.pending -= 1 }
                writerCPU.add(Self.threadCPUNanoseconds() - started, ordering: .relaxed)
            }
            guard let writer else { return }
            let collection = make()
            let limits = state.withLock { ($0.maxBytes, $0.maxAgeSeconds, $0.stopped) }
            guard !limits.2 else { return }
            do {
                try writer.write(collection)
                _ = try writer.enforce(maxBytes: limits.0, maxAgeSeconds: limits.1, now: collection.timestamp)
            } catch {
                let reason = HistoryError.writeFailed("\(error)").description
                state.withLock { state in
                    state.stopped = true
                    state.lastError = reason
                }
                logger.error("History recording stopped", metadata: ["error": "\(error)"])
            }
        }
    }

    /// CPU nanoseconds the writer has used so far, `make` included: recording is monitoring work,
    /// part of the daemon's share of the overhead budget.
    public var writerCPUNanoseconds: UInt64 { writerCPU.load(ordering: .relaxed) }

    /// CLOCK_THREAD_CPUTIME_ID: the writer runs on whichever thread the queue picks, so each write
    /// is measured on its own thread.
    private static func threadCPUNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Waits until every collection handed over so far is written (shutdown, tests).
    public func flush() {
        queue.sync {}
    }

    /// What `history.info` and `status` report.
    public func info() async -> HistoryInfo {
        let current = state.withLock { $0 }
        var info = HistoryInfo(
            enabled: current.enabled, recording: current.enabled && !current.stopped, path: store?.path, oldestMilliseconds: nil,
            newestMilliseconds: nil, collections: 0, bytes: store?.fileBytes() ?? 0, maxBytes: current.maxBytes,
            maxAgeSeconds: current.maxAgeSeconds, dropped: current.dropped, lastError: current.lastError
        )
        if let store {
            do {
                let extent = try await store.extent()
                info.oldestMilliseconds = extent.oldest
                info.newestMilliseconds = extent.newest
                info.collections = extent.collections
            } catch {
                info.lastError = info.lastError ?? "cannot read the history store: \(error)"
            }
        }
        return info
    }
}
