import ArgumentParser
import SmoothTaskModel
import SmoothTaskProtocol

extension SmoothTaskControl {
    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Show or change the daemon's configuration.",
            subcommands: [Get.self, Set.self]
        )

        struct Get: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "get", abstract: "Show the configuration in force.")

            @OptionGroup var connection: ConnectionOptions

            func run() async throws {
                try DaemonCall.run(.configGet, options: connection, as: EbpfConfig.self, render: TextReport.config)
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set",
                abstract: "Change configuration keys (needs root or the smoothtask group).",
                discussion: """
                    Keys: \(EbpfConfigPatch.keyNames.joined(separator: ", ")).
                    Booleans are true or false; collection_interval_ms takes milliseconds (10...3600000) \
                    or a duration such as 250ms or 2s. prometheus_listen takes host:port (loopback only \
                    unless smoothtaskd runs with --allow-remote-metrics) or a Unix socket path, and null \
                    switches the endpoint off. All changes apply together or not at all.

                    Examples:
                      smoothtaskctl config set enable_syscall_monitoring=false collection_interval_ms=500
                      smoothtaskctl config set prometheus_listen=127.0.0.1:9464
                      smoothtaskctl config set prometheus_listen=null
                    """
            )

            @Argument(
                help: ArgumentHelp("Changes to make.", valueName: "key=value"),
                completion: .list(EbpfConfigPatch.keyNames.map { $0 + "=" }),
                transform: ConfigAssignment.init(parsing:)
            )
            var assignments: [ConfigAssignment]

            @OptionGroup var connection: ConnectionOptions

            func validate() throws {
                guard !assignments.isEmpty else { throw ValidationError("give at least one key=value") }
            }

            func run() async throws {
                let params = Dictionary(assignments.map { ($0.key, $0.value) }) { _, last in last }
                try DaemonCall.run(.configSet, params: params, options: connection, as: EbpfConfig.self, render: TextReport.config)
            }
        }
    }
}
