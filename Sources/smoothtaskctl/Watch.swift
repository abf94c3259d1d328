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
                Stays connected and redraws the screen with each update until Ctrl-C. With --json \
                it prints one JSON object per update and line instead, for scripts:
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

        /// Clear the screen and home the cursor (ANSI), so each update replaces the last.
        static let redraw = "\u{1B}[H\u{1B}[2J"

        func validate() throws {
            if let count, count < 1 { throw ValidationError("--count must be at least 1 (got \(count))") }
            if from != nil, !replay { throw ValidationError("--from needs --replay") }
        }

        func run() async throws {
            if replay {
                try await Replay(from: from?.milliseconds ?? 0, every: every, groups: groups, count: count, connection: connection).run()
                return
            }
            let params = SubscribeParams(intervalMilliseconds: every?.milliseconds, groups: groups.isEmpty ? nil : groups)
            let watch: MetricsWatch
            do {
                watch = try await MetricsWatch.start(socketPath: connection.socket, params: params)
            } catch let error as ClientError {
                DaemonCall.fail("\(error)", code: DaemonCall.Exit.unavailable)
            } catch let error as RPCError {
                DaemonCall.fail("metrics.subscribe: \(error.message)", code: DaemonCall.Exit.refused)
            }
            var shown = 0
            do {
                for try await metrics in watch.updates {
                    let text = if connection.json {
                        String(decoding: try RPCCoding.encoder.encode(MetricsUpdate(metrics: metrics, groups: watch.settings.groups)), as: UTF8.self)
                    } else {
                        Self.redraw + TextReport.metrics(metrics, groups: watch.settings.groups)
                    }
                    // Written unbuffered: a pipe reader sees each update as it comes.
                    StandardStream.output.write(text + "\n")
                    shown += 1
                    if let count, shown >= count { return }
                }
            } catch {
                DaemonCall.fail("\(error)", code: DaemonCall.Exit.unavailable)
            }
            DaemonCall.fail("smoothtaskd closed the subscription (did it stop?)", code: DaemonCall.Exit.unavailable)
        }
    }
}

extension MetricGroup: ExpressibleByArgument {}
