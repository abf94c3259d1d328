#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

/// The full-screen `top`: fetches `processes.top` once per collection (or a recorded collection
/// while stepping through the history), reads keys between fetches and redraws.
final class TopSession {
    /// How long a key read waits, so a fetch is never late by more than this.
    static let keyPollMilliseconds: Int32 = 100
    /// Fetch at most this often and at least this rarely, whatever the daemon's interval.
    static let refreshRange: ClosedRange<Int64> = 250...5_000
    /// How long to wait between attempts to reach a daemon that went away.
    static let reconnectMilliseconds: Int64 = 1_000

    private let link: DaemonLink
    private let terminal: Terminal
    private var state: TopScreenState
    private var top: ProcessTop?
    private var rows: [TopRow] = []
    private var rates = RateTracker()
    private var threadSampler = ThreadSampler()
    /// The threads of `rows`' live processes while the thread view is on.
    private var threadRows: [TopRow] = []
    /// Whether `threadRows` were sampled for the view being on (a toggle samples at once).
    private var threadsSampled = false
    private var problem: String?
    private var nextFetch = ContinuousClock.now
    /// Whether this fetch's live rows have their parent or cgroup read from /proc yet.
    private var parentsRead = false
    private var cgroupsRead = false

    init(link: DaemonLink, terminal: Terminal, state: TopScreenState, first: ProcessTop) {
        self.link = link
        self.terminal = terminal
        self.state = state
        show(first)
    }

    /// The process rows one fetch asks for: every process of the window, so sorting and filtering
    /// are done here and each key answers at once.
    static func query(from: Int64? = nil, to: Int64? = nil) -> ProcessTopQuery {
        ProcessTopQuery(sort: .cpu, limit: ProcessTopQuery.maximumLimit, from: from, to: to)
    }

    func run() async {
        scheduleNext()
        while true {
            if state.moment.isLive, !state.paused, ContinuousClock.now >= nextFetch { await fetchLive() }
            draw()
            guard let key = terminal.readKey(timeoutMilliseconds: Self.keyPollMilliseconds) else { continue }
            switch state.handle(key) {
            case .quit:
                terminal.close()
                await link.close()
                return
            case .stepBack: await step(back: true)
            case .stepForward: await step(back: false)
            case .goLive:
                state.moment = .live
                nextFetch = .now
            case .none: break
            }
        }
    }

    private func draw() {
        let size = terminal.size
        let renderer = TopRenderer(height: size.rows, width: size.columns)
        readProcFilesIfNeeded()
        if state.threads != threadsSampled { sampleThreads() }
        let shown = state.arranged(state.threads ? threadRows : rows)
        state.scroll = renderer.clampedScroll(state.scroll, rows: shown.count)
        terminal.draw(renderer.lines(state: state, top: top, rows: shown, problem: problem))
    }

    private func fetchLive() async {
        do {
            let answer = try await link.call(.processesTop, params: Self.query(), as: ProcessTop.self)
            problem = nil
            show(answer)
            scheduleNext()
        } catch {
            problem = "reconnecting to \(link.socketPath)... (\(Self.reason(error)))"
            nextFetch = .now + .milliseconds(Self.reconnectMilliseconds)
        }
    }

    private func step(back: Bool) async {
        let from = state.moment.stepOrigin(live: top?.timestamp)
        do {
            guard let collection = try await link.recordedNeighbour(of: from, back: back) else {
                if back {
                    state.message = ScreenMoment.nothingRecorded(before: from)
                } else {
                    state.moment = .live
                    nextFetch = .now
                }
                return
            }
            // A range that holds only that collection: t > from and t - window < to.
            let moment = collection.timestamp - 1
            let answer = try await link.call(.processesTop, params: Self.query(from: moment, to: moment), as: ProcessTop.self)
            state.moment = .recorded(collection.timestamp)
            problem = nil
            show(answer)
        } catch {
            state.message = "History: \(Self.reason(error))"
        }
    }

    private func show(_ answer: ProcessTop) {
        top = answer
        rows = answer.processes.map(TopRow.init)
        if answer.recorded != true { rates.fill(&rows, from: answer) }
        parentsRead = false
        cgroupsRead = false
        if state.threads, answer.recorded != true { sampleThreads() }
    }

    /// Reads the threads of the live processes shown, or forgets them when the view is off.
    private func sampleThreads() {
        threadsSampled = state.threads
        guard state.threads else {
            threadSampler.reset()
            threadRows = []
            return
        }
        threadRows = threadSampler.threads(of: rows)
    }

    /// Parents only for the tree and cgroups only for a cgroup filter: two /proc reads per process
    /// and refresh are not worth making for a view that does not show them.
    private func readProcFilesIfNeeded() {
        if state.tree, !parentsRead {
            parentsRead = true
            for index in rows.indices where rows[index].parent == nil && rows[index].activity.state == .live {
                rows[index].parent = ProcessLineage.parent(of: rows[index].pid)
            }
        }
        if state.filter?.field == .cgroup, !cgroupsRead {
            cgroupsRead = true
            for index in rows.indices where rows[index].activity.state == .live {
                rows[index].cgroup = ProcessLineage.cgroup(of: rows[index].pid)
            }
        }
    }

    private func scheduleNext() {
        let window = top?.windowMilliseconds ?? Self.refreshRange.lowerBound
        nextFetch = .now + .milliseconds(min(max(window, Self.refreshRange.lowerBound), Self.refreshRange.upperBound))
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? RPCError { return error.message }
        return "\(error)"
    }
}
