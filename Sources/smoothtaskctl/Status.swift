import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    // Synchronous: SmoothTaskControl.main() then runs it on the main thread, with no worker thread.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show CPU, memory, syscalls, top processes, the interval and the eBPF state."
        )

        @Option(parsing: .unconditional, help: ArgumentHelp("Show the collection recorded at this time instead: \(TimeArgument.help).", valueName: "time"))
        var at: TimeArgument?

        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            if let at {
                try DaemonCall.run(
                    .metricsGet, params: MetricsGetParams(at: at.milliseconds), options: connection, as: EbpfMetrics.self,
                    render: { "Recorded at \(History.time($0.timestamp))\n" + TextReport.metrics($0) }
                )
                return
            }
            try DaemonCall.run(.status, options: connection, as: DaemonStatus.self, render: TextReport.status)
        }
    }
}
