import ArgumentParser
import SmoothTaskModel
import SmoothTaskProtocol

extension SmoothTaskControl {
    struct SetInterval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-interval",
            abstract: "Change how often the daemon collects (needs root or the smoothtask group).",
            usage: "smoothtaskctl set-interval <duration> [--socket <path>] [--json]",
            discussion: "DURATION is 10ms...1h with a unit: 250ms, 2s, 1.5s, 1m, 1h. It takes effect at the next tick."
        )

        // Taken as unrecognized words so that `set-interval -5` reaches the range check instead of
        // being mistaken for an option; the usage line is written out, since argument-parser shows
        // such an argument as `[<duration> ...]` although exactly one is taken.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The new interval, 10ms...1h.", valueName: "duration"))
        var words: [String] = []

        @OptionGroup var connection: ConnectionOptions

        private var interval: CollectionInterval {
            get throws(ConfigValidationError) { try CollectionInterval(parsing: words.first ?? "") }
        }

        func validate() throws {
            guard words.count == 1 else { throw ValidationError("give exactly one duration, e.g. 500ms") }
            do {
                _ = try interval
            } catch {
                throw ValidationError(error.message)
            }
        }

        func run() async throws {
            let patch = EbpfConfigPatch(collectionIntervalMilliseconds: try interval.milliseconds)
            try DaemonCall.run(.configSet, params: patch, options: connection, as: EbpfConfig.self) { config in
                "collection interval: \(CollectionInterval.format(milliseconds: config.collectionIntervalMilliseconds))"
            }
        }
    }
}
