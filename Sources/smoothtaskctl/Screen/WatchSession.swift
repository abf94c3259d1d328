import SmoothTaskModel

/// The full-screen `watch`: live updates from a ``MetricsFeed`` (which reconnects), or a recorded
/// collection while stepping through the history; keys between updates.
final class WatchSession {
    private let feed: MetricsFeed
    private let link: DaemonLink
    private let terminal: Terminal
    private var state = WatchScreenState()
    /// The collection shown while stepping through the history.
    private var recorded: EbpfMetrics?

    init(feed: MetricsFeed, link: DaemonLink, terminal: Terminal) {
        self.feed = feed
        self.link = link
        self.terminal = terminal
    }

    /// Runs until `q`; returns the refusal that ended the feed, if that ended it.
    func run() async -> String? {
        let inbox = FeedInbox()
        let (feed, socketPath) = (feed, link.socketPath)
        let reader = Task {
            for await event in feed { await inbox.receive(event, socketPath: socketPath) }
        }
        defer { reader.cancel() }
        var shown: (metrics: EbpfMetrics?, groups: [MetricGroup], problem: String?)?
        while true {
            let latest = await inbox.snapshot()
            if let refusal = latest.refusal {
                terminal.close()
                return refusal
            }
            if shown == nil || !state.paused {
                shown = (latest.metrics, latest.groups, latest.problem)
            }
            draw(shown)
            guard let key = terminal.readKey(timeoutMilliseconds: TopSession.keyPollMilliseconds) else { continue }
            switch state.handle(key) {
            case .quit:
                terminal.close()
                await link.close()
                return nil
            case .stepBack: await step(back: true, from: shown?.metrics)
            case .stepForward: await step(back: false, from: shown?.metrics)
            case .goLive:
                state.moment = .live
                recorded = nil
            case .none: break
            }
        }
    }

    private func draw(_ shown: (metrics: EbpfMetrics?, groups: [MetricGroup], problem: String?)?) {
        let size = terminal.size
        let renderer = WatchRenderer(height: size.rows, width: size.columns)
        let metrics = state.moment.isLive ? shown?.metrics : recorded
        // A recorded collection carries every group; show the ones the live view shows.
        let groups = shown?.groups ?? MetricGroup.allCases
        let body = metrics.map { TextReport.metrics($0, groups: groups).split(separator: "\n").count } ?? 0
        state.scroll = renderer.clampedScroll(state.scroll, lines: body)
        terminal.draw(renderer.lines(state: state, metrics: metrics, groups: groups, problem: state.moment.isLive ? shown?.problem : nil))
    }

    private func step(back: Bool, from live: EbpfMetrics?) async {
        let from = state.moment.stepOrigin(live: live?.timestamp)
        do {
            guard let collection = try await link.recordedNeighbour(of: from, back: back) else {
                if back {
                    state.message = ScreenMoment.nothingRecorded(before: from)
                } else {
                    state.moment = .live
                    recorded = nil
                }
                return
            }
            recorded = collection
            state.moment = .recorded(collection.timestamp)
        } catch {
            state.message = "History: \(TopSession.reason(error))"
        }
    }
}
