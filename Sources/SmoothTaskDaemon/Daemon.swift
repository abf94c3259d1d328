import Logging
import ServiceLifecycle
import SmoothTaskCollectors
import SmoothTaskModel
import SmoothTaskServer

/// Puts the daemon together: eBPF collector, state, collection loop and socket server.
public enum Daemon {
    /// The longest the daemon waits for its first collection, whatever the interval.
    static let firstWindowLimit = Duration.seconds(1)

    /// Runs until SIGTERM or SIGINT, then stops serving, detaches the programs and removes the socket.
    ///
    /// When eBPF cannot be used the daemon still serves what /proc gives, with the reason in `status`.
    public static func run(options: DaemonOptions, logger: Logger) async throws {
        DescriptorLimit.raiseToHardLimit(logger: logger)
        let collector = EbpfMetricsCollector(logger: logger)
        var support = EbpfMetricsCollector.checkEbpfSupport()
        if support.supported {
            do {
                try await collector.initialize(config: options.config)
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
        let cgroupCollector = CgroupCPUCollector(logger: logger)
        if support.supported {
            do {
                try await cgroupCollector.initialize(enabled: options.config.enableCgroupMetrics)
            } catch {
                logger.warning("cgroup_cpu unavailable", metadata: ["error": "\(error)"])
            }
        }
        let metricsEndpoint = MetricsEndpoint(allowNonLoopback: options.allowNonLoopbackMetrics, logger: logger)
        let state = DaemonState(
            collector: collector, cgroupCollector: cgroupCollector, metricsEndpoint: metricsEndpoint,
            support: support, config: options.config, logger: logger
        )
        let server: SocketServer
        do {
            server = try await SocketServer.bind(
                socketPath: options.socketPath,
                handler: DaemonRequestHandler(state: state, logger: logger),
                authorizer: Authorizer(adminGroup: options.adminGroup),
                limits: options.limits,
                logger: logger
            )
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
        logger.notice("smoothtaskd serving", metadata: ["socket": "\(options.socketPath)"])
        // Services stop in reverse order: the server stops answering before collection stops.
        let group = ServiceGroup(
            services: [CollectionService(state: state, logger: logger), metricsEndpoint, server],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
        logger.notice("smoothtaskd stopped")
    }
}
