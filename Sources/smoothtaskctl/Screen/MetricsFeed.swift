import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

/// The updates of `metrics.subscribe`, subscribing again whenever the daemon goes away (a restart)
/// until it is back: `watch` keeps running across a restart.
struct MetricsFeed: AsyncSequence, Sendable {
    enum Event: Sendable {
        /// An update and the groups it carries.
        case metrics(EbpfMetrics, groups: [MetricGroup])
        /// The subscription broke; the feed tries again every ``retryMilliseconds``.
        case reconnecting(reason: String)
        /// The daemon refused the subscription itself: trying again would not help. Last event.
        case refused(RPCError)
    }
    typealias Element = Event

    /// How long to wait before subscribing again.
    static let retryMilliseconds = 1_000

    let first: MetricsWatch
    let socketPath: String
    let params: SubscribeParams

    func makeAsyncIterator() -> AsyncStream<Event>.Iterator {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(64))
        let (first, socketPath, params) = (first, socketPath, params)
        let task = Task {
            var watch: MetricsWatch? = first
            while !Task.isCancelled {
                do {
                    let current: MetricsWatch
                    if let watch { current = watch } else { current = try await MetricsWatch.start(socketPath: socketPath, params: params) }
                    watch = nil
                    for try await metrics in current.updates {
                        continuation.yield(.metrics(metrics, groups: current.settings.groups))
                    }
                    continuation.yield(.reconnecting(reason: "smoothtaskd closed the subscription"))
                } catch let error as RPCError {
                    continuation.yield(.refused(error))
                    continuation.finish()
                    return
                } catch {
                    watch = nil
                    continuation.yield(.reconnecting(reason: "\(error)"))
                }
                try? await Task.sleep(for: .milliseconds(Self.retryMilliseconds))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return events.makeAsyncIterator()
    }
}
