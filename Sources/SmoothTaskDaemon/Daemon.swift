import Foundation
import Logging
import ServiceLifecycle
import SmoothTaskCollectors
import SmoothTaskHistory
import SmoothTaskModel
import SmoothTaskServer

/// Puts the daemon together: eBPF collector, state, collection loop, socket server and the systemd
/// integration (socket activation, readiness, watchdog, SIGHUP reload).
public enum Daemon {
    /// The longest the daemon waits for its first collection, whatever the interval.
    static let firstWindowLimit = Duration.seconds(1)

    /// Runs until SIGTERM or SIGINT, then stops serving, detaches the programs and removes the socket
    /// (a socket systemd passed is left to systemd).
    ///
    /// When eBPF cannot be used the daemon still serves what /proc gives, with the reason in `status`.
    public static func run(options: DaemonOptions, logger: Logger) async throws {
        var limits = options.limits
        if let descriptorLimit = DescriptorLimit.raiseToHardLimit(logger: logger) {
            let fitted = limits.fitted(toDescriptorLimit: descriptorLimit, otherListeners: MetricsHTTPServer.maxConnections)
            limits = fitted.limits
            if let note = fitted.note { logger.notice("Connection cap lowered", metadata: ["reason": "\(note)"]) }
        }
        let environment = ProcessInfo.processInfo.environment
        let notifier = SystemdNotifier(environment: environment)
        let inherited = try InheritedSocket.fromEnvironment(environment)
        // Collection's own thread, off the cooperative pool that answers requests; stopped on the way
        // out, once collection has stopped (or the start failed).
        let collectionExecutor = CollectionExecutor()
        defer { collectionExecutor.stop() }
        let loaded = await loadPrograms(
            config: options.config, exitedProcessCapacity: options.exitedProcessCapacity, executor: collectionExecutor, logger: logger
        )
        let metricsEndpoint = MetricsEndpoint(
            allowNonLoopback: options.allowNonLoopbackMetrics,
            socketDirectory: MetricsSocketDirectory(path: options.metricsSocketDirectory),
            logger: logger
        )
        let store = options.configPath.map(ConfigStore.init(path:))
        store?.removeStrayTemporaryFiles()
        let history = HistoryRecorder(directory: options.stateDirectory, config: options.config, logger: logger)
        let governor = OverheadGovernor(collector: loaded.collector, executor: collectionExecutor, logger: logger)
        // Before DaemonState's first window starts, so the self-test's own CPU is not counted against the budget.
        if loaded.verdict.supported { await governor.calibrate() }
        let state = DaemonState(
            collector: loaded.collector, metricsEndpoint: metricsEndpoint,
            support: loaded.verdict, config: options.config, store: store, socketActivated: inherited != nil,
            configFileError: options.configFileError, history: history, governor: governor, logger: logger
        )
        let server: SocketServer
        do {
            let handler = DaemonRequestHandler(state: state, logger: logger)
            let authorizer = Authorizer(adminGroup: options.adminGroup)
            if let inherited {
                server = try await SocketServer.adopt(
                    inherited, handler: handler, authorizer: authorizer, limits: limits, logger: logger
                )
            } else {
                server = try await SocketServer.bind(
                    socketPath: options.socketPath, handler: handler, authorizer: authorizer,
                    limits: limits, logger: logger
                )
            }
        } catch {
            await state.shutdown()
            throw error
        }
        // The first collection covers a real window (the time since the programs attached), so the
        // first answer already shows meaningful rates; clients connecting meanwhile wait in the backlog.
        try await Task.sleep(for: min(options.config.collectionInterval, firstWindowLimit))
        await state.collect()
        do {
            try await metricsEndpoint.listen(on: options.config.metricsListenAddress(), state: state)
        } catch {
            await state.shutdown()
            throw error
        }
        let readyStatus =
            loaded.verdict.supported
            ? "Serving on \(server.socketPath); eBPF active"
            : "Serving on \(server.socketPath) from /proc; eBPF off: \(loaded.verdict.reason ?? "unknown reason")"
        notifier.ready(status: readyStatus)
        logger.notice("smoothtaskd serving", metadata: ["socket": "\(server.socketPath)", "config.path": "\(store?.path ?? "none")"])
        // Services stop in reverse order: the server stops answering before collection stops.
        let collection = CollectionService(state: state, executor: collectionExecutor, logger: logger)
        var services: [any Service] = [collection, metricsEndpoint, server]
        if let store {
            services.append(ConfigReloadService(store: store, state: state, notifier: notifier, readyStatus: readyStatus, logger: logger))
        }
        services.append(SystemdNotificationService(notifier: notifier, state: state, logger: logger))
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        logger.notice("smoothtaskd stopped")
    }

    /// Checks eBPF support and loads the programs; on any failure the verdict says why and the
    /// collector serves from /proc (every program and eBPF-only figure then says why it has none).
    private static func loadPrograms(
        config: EbpfConfig, exitedProcessCapacity: Int, executor: CollectionExecutor, logger: Logger
    ) async -> (collector: EbpfMetricsCollector, verdict: EbpfSupport) {
        let collector = EbpfMetricsCollector(logger: logger, executor: executor, exitedProcessCapacity: exitedProcessCapacity)
        let checked = EbpfMetricsCollector.checkEbpfSupport()
        var support = checked
        if support.supported {
            do {
                try await collector.initialize(config: config)
                logger.info("eBPF programs loaded", metadata: ["kernel": "\(support.kernelRelease)"])
            } catch {
                support = EbpfSupport(
                    supported: false,
                    reason: "\(error)",
                    remedy: error.remedy,
                    kernelRelease: support.kernelRelease
                )
            }
        }
        if !support.supported {
            logger.warning(
                "eBPF unavailable; serving from /proc",
                metadata: ["reason": "\(support.reason ?? "")", "remedy": "\(support.remedy ?? "")"]
            )
        }
        // The programs say why they are not loaded, not that a switch is off or nothing was tried.
        // A collector whose load failed keeps what loaded; each program says its own failure.
        if !checked.supported {
            await collector.serveWithoutEbpf(config: config, reason: checked.reason ?? "unknown reason")
        }
        return (collector, support)
    }
}
