import ArgumentParser
import Foundation
import Logging
import SmoothTaskCollectors
import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer

@main
struct SmoothTaskDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoothtaskd",
        abstract: "Collect system metrics with eBPF and serve them on a Unix socket.",
        discussion: """
            Loads SmoothTask's eBPF programs (CPU accounting on sched_switch, syscall counting on \
            sys_enter; tracepoints only), collects every interval and answers smoothtaskctl. Needs \
            CAP_BPF and CAP_PERFMON (or root); without them it serves CPU and memory from /proc and \
            says why in `smoothtaskctl status`.

            Stops cleanly on SIGTERM or SIGINT: programs detached, socket removed.

            Examples:
              smoothtaskd                                  serve on /run/smoothtask.sock
              smoothtaskd --socket /tmp/st.sock --interval 250ms
              smoothtaskd --prometheus-listen 127.0.0.1:9464   also serve GET /metrics
              smoothtaskd --check                          can eBPF run here? (exit 0 if yes)
            """,
        version: SmoothTaskVersion.current
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Unix socket to serve on (env \(ProtocolConstants.socketPathEnvironmentVariable)).",
            valueName: "path"
        )
    )
    var socket: String = ProcessInfo.processInfo.environment[ProtocolConstants.socketPathEnvironmentVariable]
        ?? ProtocolConstants.defaultSocketPath

    @Option(
        name: .long,
        help: ArgumentHelp("Collection interval at start, 10ms...1h.", valueName: "duration"),
        transform: CollectionInterval.init(parsing:)
    )
    var interval: CollectionInterval?

    @Option(name: .long, help: ArgumentHelp("Group whose members may change the configuration.", valueName: "name"))
    var adminGroup: String = ProtocolConstants.defaultAdminGroup

    @Option(
        name: .long,
        help: ArgumentHelp("Clients served at once; more get a Busy error (-32003).", valueName: "count")
    )
    var maxConnections: Int = ServerLimits.defaultMaxConnections

    @Option(
        name: .long,
        help: ArgumentHelp("Drop a client whose frame is not complete this long after its first byte.", valueName: "duration"),
        transform: CollectionInterval.init(parsing:)
    )
    var frameDeadline: CollectionInterval?

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Serve Prometheus/OpenMetrics on GET /metrics at host:port or a Unix socket path (config key prometheus_listen).",
            valueName: "address"
        )
    )
    var prometheusListen: String?

    @Flag(
        name: .long,
        help: """
            Allow prometheus_listen to name a non-loopback TCP address. The systemd unit restricts \
            sockets to AF_UNIX: add AF_INET/AF_INET6 to its RestrictAddressFamilies= for any TCP endpoint.
            """
    )
    var allowRemoteMetrics = false

    @Flag(name: .long, help: "Report whether eBPF can run here and exit: 0 if it can, 1 if not.")
    var check = false

    func validate() throws {
        guard maxConnections >= 1 else {
            throw ValidationError("--max-connections must be at least 1 (got \(maxConnections))")
        }
        do {
            _ = try prometheusListen.map { text throws(ConfigValidationError) in try MetricsListenAddress(parsing: text) }
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        if check {
            try runCheck()
            return
        }
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var config = EbpfConfig.defaults
        if let interval { config.collectionIntervalMilliseconds = interval.milliseconds }
        var limits = ServerLimits(maxConnections: maxConnections)
        if let frameDeadline { limits.frameDeadline = .milliseconds(frameDeadline.milliseconds) }
        config.prometheusListen = prometheusListen
        let options = DaemonOptions(
            socketPath: socket, adminGroup: adminGroup, config: config, limits: limits,
            allowNonLoopbackMetrics: allowRemoteMetrics
        )
        do {
            try await Daemon.run(options: options, logger: Logger(label: "smoothtaskd"))
        } catch {
            FileHandle.standardError.write(Data("smoothtaskd: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func runCheck() throws {
        let support = EbpfMetricsCollector.checkEbpfSupport()
        print("kernel \(support.kernelRelease): eBPF \(support.supported ? "supported" : "not supported")")
        if let reason = support.reason { print("reason: \(reason)") }
        if let remedy = support.remedy { print("fix: \(remedy)") }
        if !support.supported { throw ExitCode.failure }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
