import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

extension SmoothTaskControl {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Show metrics live, redrawn after each collection (metrics.subscribe).",
            discussion: """
                On a terminal it takes the full screen (the alternate screen, given back on exit): \
                q quits, space pauses, Left and Right step back and forth through the recorded \
                collections (the daemon's history), End returns to live, h lists the keys. Colour \
                follows NO_COLOR; TERM=dumb gets plain text. If smoothtaskd restarts, watch shows \
                "reconnecting..." and resumes when it is back.

                Piped, it prints each update as plain text \
                without escape codes, a blank line between updates, and says "reconnecting" on \
                standard error across a restart. With --json it prints one JSON object per update \
                and line instead, for scripts:
                  smoothtaskctl watch --json --groups cpu | jq --unbuffered .cpu_usage
                """
        )

        @OptionGroup var connection: ConnectionOptions

        @Option(
            name: .long,
            help: ArgumentHelp("At most one update per duration (e.g. 2s); default every collection.", valueName: "duration"),
            transform: CollectionInterval.init(parsing:)
        )
        var every: CollectionInterval?

        @Option(
            name: .long,
            parsing: .upToNextOption,
            help: ArgumentHelp(
                "Metric groups to show: \(MetricGroup.allCases.map(\.rawValue).joined(separator: ", ")) (default all).",
                valueName: "group"
            )
        )
        var groups: [MetricGroup] = []

        @Option(name: .long, help: ArgumentHelp("Stop after this many updates.", valueName: "count"))
        var count: Int?

        @Flag(name: .long, help: "Step through recorded collections from --from instead of live ones.")
        var replay = false

        @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("With --replay: where to start, \(TimeArgument.help).", valueName: "time"))
        var from: TimeArgument?

        @Flag(name: .long, help: "Take the full screen even when standard output is not a terminal.")
        var interactive = false

        func validate() throws {
            if let count, count < 1 { throw ValidationError("--count must be at least 1 (got \(count))") }
            if from != nil, !replay { throw ValidationError("--from needs --replay") }
            if interactive, connection.json || count != nil || replay {
                throw ValidationError("--interactive draws the full screen: drop --json, --count and --replay")
            }
        }

        func run() async throws {
            if replay {
                try await Replay(from: from?.milliseconds ?? 0, every: every, groups: groups, count: count, connection: connection).run()
                return
            }
            let params = SubscribeParams(intervalMilliseconds: every?.milliseconds, groups: groups.isEmpty ? nil : groups)
            // Connect before taking the screen, so an absent daemon is one line on a normal screen.
            let first: MetricsWatch
            do {
                first = try await MetricsWatch.start(socketPath: connection.socket, params: params)
            } catch let error as ClientError {
                DaemonCall.fail("\(error)", code: DaemonCall.Exit.unavailable)
            } catch let error as RPCError {
                DaemonCall.fail("metrics.subscribe: \(error.message)", code: DaemonCall.Exit.refused)
            }
            let feed = MetricsFeed(first: first, socketPath: connection.socket, params: params)
            let policy = ScreenPolicy.current(interactive: interactive, plain: connection.json || count != nil)
            if policy.fullScreen, let terminal = Terminal(colourAllowed: policy.colour) {
                let session = WatchSession(feed: feed, link: DaemonLink(socketPath: connection.socket), terminal: terminal)
                if let refusal = await session.run() { DaemonCall.fail(refusal, code: DaemonCall.Exit.refused) }
                return
            }
            try await printUpdates(of: feed)
        }

        /// Plain output: one report (or JSON line) per update, escape-free; a restart of the daemon
        /// is said once on standard error and the updates resume.
        private func printUpdates(of feed: MetricsFeed) async throws {
            var shown = 0
            var reconnecting = false
            for await event in feed {
                switch event {
                case .metrics(let metrics, let groups):
                    if reconnecting { StandardStream.error.write("smoothtaskctl: reconnected to smoothtaskd\n") }
                    reconnecting = false
                    let text = if connection.json {
                        String(decoding: try RPCCoding.encoder.encode(MetricsUpdate(metrics: metrics, groups: groups)), as: UTF8.self)
                    } else {
                        (shown > 0 ? "\n" : "") + TextReport.metrics(metrics, groups: groups)
                    }
                    // Written unbuffered: a pipe reader sees each update as it comes.
                    StandardStream.output.write(text + "\n")
                    shown += 1
                    if let count, shown >= count { return }
                case .reconnecting(let reason):
                    if !reconnecting { StandardStream.error.write("smoothtaskctl: reconnecting to \(connection.socket)... (\(reason))\n") }
                    reconnecting = true
                case .refused(let error):
                    DaemonCall.fail("metrics.subscribe: \(error.message)", code: DaemonCall.Exit.refused)
                }
            }
        }
    }
}

extension MetricGroup: ExpressibleByArgument {}
