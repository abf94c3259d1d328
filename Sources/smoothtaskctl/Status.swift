import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show CPU, memory, syscalls, top processes, the interval and the eBPF state."
        )

        @Option(parsing: .unconditional, help: ArgumentHelp("Show the collection recorded at this time instead: \(TimeArgument.help).", valueName: "time"))
        var at: TimeArgument?

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            if let at {
                try await DaemonCall.run(
                    .metricsGet, params: MetricsGetParams(at: at.milliseconds), options: connection, as: EbpfMetrics.self,
                    render: { "Recorded at \(History.time($0.timestamp))\n" + TextReport.metrics($0) }
                )
                return
            }
            try await DaemonCall.run(.status, options: connection, as: DaemonStatus.self, render: TextReport.status)
        }
    }
}
