import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics",
            abstract: "Show the latest collection's metrics."
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try DaemonCall.run(.metricsGet, options: connection, as: EbpfMetrics.self, render: TextReport.metrics)
        }
    }
}
