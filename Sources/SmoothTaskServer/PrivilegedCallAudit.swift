import Foundation
import Logging
import SmoothTaskProtocol

/// Writes the audit line of every privileged call: bounded in size always, and for refused calls
/// bounded in rate per uid, so a flood of refused calls cannot push the real audit lines out of the
/// journal (journald rate-limits per unit and drops whatever comes next).
///
/// Accepted calls are always logged. Refused calls spend a token from their uid's bucket
/// (``Limits/burst`` tokens, one back every ``Limits/refillInterval``); without a token the line is
/// suppressed and counted, and ``Limits/summaryDelay`` after the first suppressed one a single line
/// says how many were.
final class PrivilegedCallAudit: @unchecked Sendable {
    /// How many refused-call lines one uid may cause.
    struct Limits: Sendable {
        /// Lines a uid may cause at once: a person retrying a few times is logged in full.
        var burst: Int = 10
        /// Time for one token to come back: 10 lines a minute after the burst.
        var refillInterval: Duration = .seconds(6)
        /// How long after the first suppressed line the count is logged; one summary line per uid
        /// per this interval at most.
        var summaryDelay: Duration = .seconds(60)
        /// uids tracked at once; beyond it, uids with a full bucket and nothing suppressed are
        /// forgotten (they would start with a full bucket anyway).
        var maxTrackedUIDs: Int = 4096
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
        var suppressed = 0
        var summaryPending = false
    }

    private let limits: Limits
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var buckets: [UInt32: Bucket] = [:]

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Logs an authorized privileged call at `notice`; never suppressed.
    func accepted(_ method: Method, params: String, caller: PeerCredentials, logger: Logger) {
        logger.notice("Privileged call accepted", metadata: Self.metadata(method, params: params, caller: caller))
    }

    /// Logs a refused privileged call at `notice`, unless its uid has used up its lines; then
    /// counts it for the summary line.
    func refused(_ method: Method, params: String, reason: String, caller: PeerCredentials, logger: Logger) {
        let now = ContinuousClock.now
        let (logIt, scheduleSummary) = lock.withLock { () -> (Bool, Bool) in
            var bucket = buckets[caller.uid] ?? Bucket(tokens: Double(limits.burst), updated: now)
            let refilled = (now - bucket.updated) / limits.refillInterval
            bucket.tokens = min(Double(limits.burst), bucket.tokens + refilled)
            bucket.updated = now
            let logIt = bucket.tokens >= 1
            var scheduleSummary = false
            if logIt {
                bucket.tokens -= 1
            } else {
                bucket.suppressed += 1
                scheduleSummary = !bucket.summaryPending
                bucket.summaryPending = true
            }
            if buckets[caller.uid] == nil, buckets.count >= limits.maxTrackedUIDs { forgetIdleBuckets(now: now) }
            buckets[caller.uid] = bucket
            return (logIt, scheduleSummary)
        }
        if logIt {
            var metadata = Self.metadata(method, params: params, caller: caller)
            metadata["reason"] = "\(AuditText.bounded(reason))"
            logger.notice("Privileged call refused", metadata: metadata)
        }
        if scheduleSummary {
            let delay = limits.summaryDelay
            Task { [self] in
                try? await Task.sleep(for: delay)
                summarize(uid: caller.uid, logger: logger)
            }
        }
    }

    /// Logs how many refused calls from `uid` were not logged since its summary was scheduled.
    private func summarize(uid: UInt32, logger: Logger) {
        let count = lock.withLock { () -> Int in
            guard var bucket = buckets[uid] else { return 0 }
            let count = bucket.suppressed
            bucket.suppressed = 0
            bucket.summaryPending = false
            buckets[uid] = bucket
            return count
        }
        guard count > 0 else { return }
        var logger = logger
        // The connection that started the window may be long gone; the count spans many.
        logger[metadataKey: "peer.pid"] = nil
        logger.notice(
            "Refused privileged calls suppressed",
            metadata: [
                "peer.uid": "\(uid)", "suppressed.count": "\(count)",
                "suppressed.text": "\(count) refused calls from uid \(uid) suppressed",
            ]
        )
    }

    /// Drops buckets that hold no state worth keeping. Called with `lock` held.
    private func forgetIdleBuckets(now: ContinuousClock.Instant) {
        buckets = buckets.filter { _, bucket in
            bucket.summaryPending || bucket.tokens + (now - bucket.updated) / limits.refillInterval < Double(limits.burst)
        }
    }

    private static func metadata(_ method: Method, params: String, caller: PeerCredentials) -> Logger.Metadata {
        [
            "peer.uid": "\(caller.uid)", "peer.pid": "\(caller.pid)", "rpc.method": "\(method.rawValue)",
            "rpc.params": "\(AuditText.bounded(params))", "rpc.params.bytes": "\(params.utf8.count)",
        ]
    }
}
