import ArgumentParser
import SmoothTaskModel
import SmoothTaskProtocol

extension SmoothTaskControl {
    struct SetInterval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change how often the daemon collects (needs root or the smoothtask group).",
            discussion: "DURATION is 10ms...1h with a unit: 250ms, 2s, 1.5s, 1m, 1h. It takes effect at the next tick."
        )

        @Argument(help: ArgumentHelp("The new interval.", valueName: "duration"), transform: CollectionInterval.init(parsing:))
        var interval: CollectionInterval

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let patch = EbpfConfigPatch(collectionIntervalMilliseconds: interval.milliseconds)
            try await DaemonCall.run(.configSet, params: patch, options: connection, as: EbpfConfig.self) { config in
                "collection interval: \(CollectionInterval.format(milliseconds: config.collectionIntervalMilliseconds))"
            }
        }
    }
}
