import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Disk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disk",
            abstract: "Show block I/O per device and per process.",
            discussion: "Requests, bytes read and written, and issue-to-completion latency (p50/p95/p99) per whole disk over the last collection window, and the processes that moved the most bytes. Needs enable_disk_metrics=true. With --json, prints the `disk` member of metrics.get only."
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try DaemonCall.run(
                .metricsGet, options: connection, as: EbpfMetrics.self, member: "disk", render: TextReport.disk
            )
        }
    }
}
