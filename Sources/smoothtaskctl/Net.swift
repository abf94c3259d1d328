import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Net: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "net",
            abstract: "Show network traffic per interface and per process.",
            discussion: "Bytes and packets per interface, bytes each process sent and received over IPv4/IPv6 sockets, and TCP retransmits, over the last collection window. Needs enable_network_metrics=true. With --json, prints the `network` member of metrics.get only."
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try DaemonCall.run(
                .metricsGet, options: connection, as: EbpfMetrics.self, member: "network", render: TextReport.network
            )
        }
    }
}
