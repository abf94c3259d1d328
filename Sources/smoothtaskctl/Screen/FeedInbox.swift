import SmoothTaskModel

/// The latest of a ``MetricsFeed``'s events, handed from the task that reads the feed to the
/// full-screen loop that reads keys (which must not block on the feed).
actor FeedInbox {
    private(set) var metrics: EbpfMetrics?
    private(set) var groups: [MetricGroup] = MetricGroup.allCases
    /// Why the figures are not current, while reconnecting.
    private(set) var problem: String?
    /// The refusal that ended the feed.
    private(set) var refusal: String?

    func receive(_ event: MetricsFeed.Event, socketPath: String) {
        switch event {
        case .metrics(let update, let groups):
            metrics = update
            self.groups = groups
            problem = nil
        case .reconnecting(let reason):
            problem = "reconnecting to \(socketPath)... (\(reason))"
        case .refused(let error):
            refusal = "metrics.subscribe: \(error.message)"
        }
    }

    /// Everything at once, so one await gives a consistent view.
    func snapshot() -> (metrics: EbpfMetrics?, groups: [MetricGroup], problem: String?, refusal: String?) {
        (metrics, groups, problem, refusal)
    }
}
