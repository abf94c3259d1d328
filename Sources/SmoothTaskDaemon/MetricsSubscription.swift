import SmoothTaskModel
import SmoothTaskProtocol

/// Turns the broadcaster's collections into one subscriber's `metrics.update` notifications: paced
/// by its interval, limited to its groups and to what it may see of /proc.
enum MetricsSubscription {
    /// The subscriber's notifications; they stop when the server stops iterating (unsubscribe,
    /// close) or the broadcaster finishes. Only the newest is buffered.
    static func notifications(
        from collections: AsyncMapSequence<AsyncStream<EbpfMetrics>, Visible<EbpfMetrics>>,
        settings: SubscribeResult
    ) -> AsyncStream<RPCNotification> {
        let (notifications, continuation) = AsyncStream.makeStream(
            of: RPCNotification.self,
            bufferingPolicy: .bufferingNewest(1)
        )
        let pump = Task {
            var lastSent: Int64?
            for await visible in collections {
                let metrics = visible.value
                if let lastSent, !isDue(metrics, lastSent: lastSent, intervalMilliseconds: settings.intervalMilliseconds) {
                    continue
                }
                lastSent = metrics.timestamp
                let update = MetricsUpdate(metrics: metrics, groups: settings.groups)
                continuation.yield(RPCNotification(method: ProtocolConstants.metricsUpdateNotification, params: update))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in pump.cancel() }
        return notifications
    }

    /// True when `metrics` is the first collection at least the interval after the last one sent.
    ///
    /// Half a collection window of slack: collections at 1 s that land 999 ms apart still make a 1 s
    /// subscription, instead of every other one.
    static func isDue(_ metrics: EbpfMetrics, lastSent: Int64, intervalMilliseconds: Int) -> Bool {
        metrics.timestamp - lastSent + metrics.windowMilliseconds / 2 >= Int64(intervalMilliseconds)
    }
}
