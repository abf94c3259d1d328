import SmoothTaskModel
import SmoothTaskServer
import Synchronization

/// Hands each new collection to every subscriber without ever making the collection wait.
///
/// Each subscriber's stream keeps only the newest collection: one that falls behind skips
/// collections instead of queueing them, so publishing costs the same whatever subscribers do.
/// Subscribers get each collection as a ``Visible`` value, redacted on their own task when they
/// take it, never in ``publish(_:)``.
public final class MetricsBroadcaster: Sendable {
    private struct Subscribers {
        var next = 0
        var continuations: [Int: AsyncStream<EbpfMetrics>.Continuation] = [:]
        var finished = false
    }

    private let subscribers = Mutex(Subscribers())

    /// Creates a broadcaster with no subscribers.
    public init() {}

    /// Collections published from now on, each redacted for `caller` under the /proc rules in force
    /// when it is taken; the sequence ends when the broadcaster finishes, and stopping its iteration
    /// unsubscribes.
    func subscribe(for caller: PeerCredentials) -> AsyncMapSequence<AsyncStream<EbpfMetrics>, Visible<EbpfMetrics>> {
        subscribeWhole().map { Visible($0, for: Viewer.current(caller)) }
    }

    /// Collections with every row; private so that no subscriber can skip the visibility step.
    private func subscribeWhole() -> AsyncStream<EbpfMetrics> {
        let (stream, continuation) = AsyncStream.makeStream(of: EbpfMetrics.self, bufferingPolicy: .bufferingNewest(1))
        let key: Int? = subscribers.withLock { state in
            guard !state.finished else { return nil }
            state.next += 1
            state.continuations[state.next] = continuation
            return state.next
        }
        guard let key else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: key) }
        }
        return stream
    }

    /// Subscribers now, for tests and logs.
    public var subscriberCount: Int {
        subscribers.withLock { $0.continuations.count }
    }

    /// Gives `metrics` to every subscriber; never waits.
    public func publish(_ metrics: EbpfMetrics) {
        let continuations = subscribers.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield(metrics) }
    }

    /// Ends every subscriber's stream; later subscriptions end at once.
    public func finish() {
        // Finished outside the lock: finishing runs onTermination, which takes the lock.
        let continuations = subscribers.withLock { state in
            state.finished = true
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
