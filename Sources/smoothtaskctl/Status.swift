import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show CPU, memory, syscalls, top processes, the interval and the eBPF state."
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await DaemonCall.run(.status, options: connection, as: DaemonStatus.self, render: TextReport.status)
        }
    }
}
