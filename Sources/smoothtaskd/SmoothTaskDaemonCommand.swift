import ArgumentParser
import Foundation
import Logging
import SmoothTaskClient
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
            sys_exit; tracepoints only), collects every interval and answers smoothtaskctl. Needs \
            CAP_BPF and CAP_PERFMON (root is not needed); without them it serves CPU and memory from \
            /proc and says why in `smoothtaskctl status`.

            Reads its configuration from --config at start (a missing file means the defaults), writes \
            every accepted `config set` back to it atomically, and re-reads it on SIGHUP (a bad file \
            is logged and the running configuration kept). A bad file at start stops the daemon \
            (exit 78), except under socket activation, where it serves the defaults and names the \
            file, key and line in `smoothtaskctl status` and `check`. A --config that is a symlink is resolved \
            once, at start: its target is read and replaced (the link stays a link), and the daemon \
            logs both paths; a dangling symlink is refused (exit 78). Stops cleanly on SIGTERM or SIGINT: programs \
            detached, socket removed. Under systemd it takes the socket of smoothtask.socket \
            (LISTEN_FDS) and reports readiness and watchdog pings (NOTIFY_SOCKET).

            Examples:
              smoothtaskd                                  serve on /run/smoothtask.sock
              smoothtaskd --socket /tmp/st.sock --interval 250ms --config /tmp/st.json
              smoothtaskd --prometheus-listen 127.0.0.1:9464   also serve GET /metrics
              smoothtaskd --state-dir /tmp/st-state         record history in /tmp/st-state/history.sqlite
              smoothtaskd --check                          can eBPF run here? (exit 0 if yes)

            Exit status: 0 clean stop, 1 failure, 64 bad usage, 78 bad configuration file.
            """,
        version: SmoothTaskVersion.current
    )

    /// sysexits.h EX_CONFIG: systemd's RestartPreventExitStatus= keeps a bad file from a restart loop.
    static let badConfigurationExitCode: Int32 = 78

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Unix socket to serve on (env \(ProtocolConstants.socketPathEnvironmentVariable)); ignored under socket activation.",
            valueName: "path"
        )
    )
    var socket: String = ProcessInfo.processInfo.environment[ProtocolConstants.socketPathEnvironmentVariable]
        ?? ProtocolConstants.defaultSocketPath

    @Option(name: .long, help: ArgumentHelp("Configuration file, loaded at start and on SIGHUP, written by config set.", valueName: "path"))
    var config: String = ConfigStore.defaultPath

    @Option(
        name: .long,
        help: ArgumentHelp("Collection interval at start, 10ms...1h; overrides the file for this run.", valueName: "duration"),
        transform: CollectionInterval.init(parsing:)
    )
    var interval: CollectionInterval?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Overhead budget at start, percent of one CPU, 0...100 (0 = no limit); overrides the file for this run.",
            valueName: "percent"
        )
    )
    var maxOverheadPercent: Double?

    @Option(name: .long, help: ArgumentHelp("Group whose members may change the configuration.", valueName: "name"))
    var adminGroup: String = ProtocolConstants.defaultAdminGroup

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Clients served at once; more get a Busy error (-32003). Lowered at start to fit the open-file limit.",
            valueName: "count"
        )
    )
    var maxConnections: Int = ServerLimits.defaultMaxConnections

    @Option(
        name: .long,
        help: ArgumentHelp("Connections one user may hold at once (root and the admin group are exempt).", valueName: "count")
    )
    var maxConnectionsPerUser: Int = ServerLimits.defaultMaxConnectionsPerUser

    @Option(
        name: .long,
        help: ArgumentHelp("Close a connection that sent nothing this long, unless it is subscribed.", valueName: "duration"),
        transform: CollectionInterval.init(parsing:)
    )
    var idleTimeout: CollectionInterval?

    @Option(
        name: .long,
        help: ArgumentHelp("Drop a client whose frame is not complete this long after its first byte.", valueName: "duration"),
        transform: CollectionInterval.init(parsing:)
    )
    var frameDeadline: CollectionInterval?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Recently exited processes kept for processes.exited (smoothtaskctl top with its exited flag; about 370 bytes each; 1...\(Self.maximumExitedProcesses)).",
            valueName: "count"
        )
    )
    var exitedProcesses: Int = EbpfMetricsCollector.defaultExitedProcessCapacity

    /// Most exited processes kept: about 300 MB at 1,000,000, more than any query needs.
    static let maximumExitedProcesses = 1_000_000

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Directory for the history store (history.sqlite; config keys enable_history, history_max_bytes, history_max_age_s).",
            valueName: "path"
        )
    )
    var stateDirectory: String = DaemonOptions.defaultStateDirectory

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Serve Prometheus/OpenMetrics on GET /metrics at host:port or a Unix socket path inside --metrics-socket-directory (config key prometheus_listen).",
            valueName: "address"
        )
    )
    var prometheusListen: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The only directory a Unix-socket prometheus_listen may be in: owned by smoothtaskd's user, writable by it alone, no symlinks.",
            valueName: "path"
        )
    )
    var metricsSocketDirectory: String = MetricsSocketDirectory.defaultPath

    @Flag(
        name: .long,
        help: """
            Allow prometheus_listen to name a non-loopback TCP address. The systemd unit restricts \
            sockets to AF_UNIX: add AF_INET/AF_INET6 to its RestrictAddressFamilies= for any TCP endpoint.
            """
    )
    var allowRemoteMetrics = false

    @Flag(
        name: .long,
        help: "Check every requirement (kernel, BTF, tracepoints, bpf() permission, capabilities, memlock, libraries, socket) and exit: 0 if all are met, 1 if not."
    )
    var check = false

    func validate() throws {
        guard maxConnections >= 1 else {
            throw ValidationError("--max-connections must be at least 1 (got \(maxConnections))")
        }
        guard maxConnectionsPerUser >= 1 else {
            throw ValidationError("--max-connections-per-user must be at least 1 (got \(maxConnectionsPerUser))")
        }
        guard (1...Self.maximumExitedProcesses).contains(exitedProcesses) else {
            throw ValidationError("--exited-processes must be 1...\(Self.maximumExitedProcesses) (got \(exitedProcesses))")
        }
        guard metricsSocketDirectory.hasPrefix("/") else {
            throw ValidationError("--metrics-socket-directory must be an absolute path (got '\(metricsSocketDirectory)')")
        }
        do {
            _ = try prometheusListen.map { text throws(ConfigValidationError) in try MetricsListenAddress(parsing: text) }
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        if check {
            try await runCheck()
            return
        }
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "smoothtaskd")
        let store: ConfigStore
        do {
            store = try ConfigStore(resolving: config)
        } catch {
            fail("\(error)", code: Self.badConfigurationExitCode)
        }
        var startConfig: EbpfConfig
        var configFileError: String?
        do {
            startConfig = try store.load() ?? .defaults
        } catch {
            // Socket-activated, an exit would be undone by the next waiting client, again and again
            // until systemd's start limit fails the socket: serve the defaults and report the file.
            guard Self.isSocketActivated else { fail("\(error)", code: Self.badConfigurationExitCode) }
            logger.error(
                "Configuration file refused; serving the defaults until it is fixed and reloaded",
                metadata: ["reason": "\(error)"]
            )
            startConfig = .defaults
            configFileError = "\(error)"
        }
        if store.path != store.configuredPath {
            logger.notice(
                "Configuration path resolved; reading and writing its target until restart",
                metadata: ["config.path": "\(store.configuredPath)", "config.target": "\(store.path)"]
            )
        }
        if let interval { startConfig.collectionIntervalMilliseconds = interval.milliseconds }
        if let maxOverheadPercent {
            guard EbpfConfig.allowedMaxOverheadPercent.contains(maxOverheadPercent) else {
                throw ValidationError("--max-overhead-percent must be 0...100, percent of one CPU (got \(maxOverheadPercent))")
            }
            startConfig.maxOverheadPercent = maxOverheadPercent
        }
        if let prometheusListen { startConfig.prometheusListen = prometheusListen }
        var limits = ServerLimits(maxConnections: maxConnections, maxConnectionsPerUser: maxConnectionsPerUser)
        if let frameDeadline { limits.frameDeadline = .milliseconds(frameDeadline.milliseconds) }
        if let idleTimeout { limits.idleTimeout = .milliseconds(idleTimeout.milliseconds) }
        let options = DaemonOptions(
            socketPath: socket, adminGroup: adminGroup, config: startConfig, limits: limits,
            allowNonLoopbackMetrics: allowRemoteMetrics, configPath: store.path,
            metricsSocketDirectory: metricsSocketDirectory, configFileError: configFileError,
            exitedProcessCapacity: exitedProcesses, stateDirectory: stateDirectory
        )
        do {
            try await Daemon.run(options: options, logger: logger)
        } catch {
            fail("\(error)", code: ExitCode.failure.rawValue)
        }
    }

    /// Whether systemd passed this process its socket (`sd_listen_fds(3)`); read without consuming
    /// the variables, which the daemon takes over later.
    static var isSocketActivated: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["LISTEN_PID"].flatMap(Int32.init) == getpid() && (environment["LISTEN_FDS"].flatMap(Int.init) ?? 0) > 0
    }

    private func runCheck() async throws {
        var checks = SystemDiagnostics.run()
        checks.append(await socketCheck())
        checks.forEach { print($0.text) }
        if checks.contains(where: { !$0.ok }) { throw ExitCode.failure }
    }

    /// Whether a daemon answers on --socket; its absence is fine for a daemon about to start.
    private func socketCheck() async -> DiagnosticCheck {
        do {
            let client = try await SmoothTaskClient.connect(socketPath: socket)
            await client.close()
            return DiagnosticCheck(name: "socket", ok: true, detail: "\(socket): a smoothtaskd already answers there")
        } catch {
            return DiagnosticCheck(
                name: "socket", ok: true,
                detail: "\(socket): no daemon answers yet; this one can serve there (under systemd, smoothtask.socket creates it)"
            )
        }
    }

    private func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("smoothtaskd: \(message)\n".utf8))
        Foundation.exit(code)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
