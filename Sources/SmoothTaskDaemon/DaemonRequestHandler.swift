import Logging
import NIOCore
import SmoothTaskExposition
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer

/// Answers protocol methods from ``DaemonState``; the server has already checked the caller may call them.
///
/// Every answer that holds per-process rows comes from ``DaemonState`` as a ``Visible`` value made
/// for the caller's ``Viewer``; the handler only unwraps it.
public struct DaemonRequestHandler: RequestHandler {
    private let state: DaemonState
    private let logger: Logger

    /// Creates the handler over `state`.
    public init(state: DaemonState, logger: Logger) {
        self.state = state
        self.logger = logger
    }

    public func handle(
        _ method: Method,
        request: RPCRequest,
        caller: PeerCredentials
    ) async throws(RPCError) -> any Encodable & Sendable {
        state.noteClientActivity()
        switch method {
        case .status:
            let viewer = Viewer.current(caller)
            // A caller who sees every process shares the status encoded once per collection.
            if let encoded = try await state.encodedStatus(for: viewer) { return encoded.value }
            return try await state.status(for: viewer).value
        case .metricsGet:
            let viewer = Viewer.current(caller)
            let params = try request.decodeParams(MetricsGetParams.self)
            if params.asksForHistory { return try await state.recordedMetrics(params, for: viewer).value }
            // A caller who sees every process shares the reply encoded once per collection.
            if let encoded = try await state.encodedMetrics(for: viewer) { return encoded.value }
            return try await state.metrics(for: viewer).value
        case .configGet:
            return await state.config
        case .cgroupsTop:
            let params = try request.decodeParams(CgroupsTopParams.self)
            if params.asksForHistory { return try await state.recordedCgroupsTop(params) }
            return try await state.cgroupsTop(params)
        case .configSet:
            return try await setConfig(request.decodeParams(EbpfConfigPatch.self), caller: caller)
        case .processesTop:
            let query = try request.decodeParams(ProcessTopQuery.self)
            let top = query.asksForHistory
                ? try await state.recordedTopProcesses(query, for: Viewer.current(caller)).value
                : await state.topProcesses(query, for: Viewer.current(caller)).value
            return ReplyFit.fitting(top, rows: \.processes, notes: \.unavailable)
        case .processesExited:
            let exited = state.exitedProcesses(try request.decodeParams(ExitedProcessesQuery.self), for: Viewer.current(caller)).value
            return ReplyFit.fitting(exited, rows: \.processes, notes: \.unavailable)
        case .overhead:
            return try await state.overhead()
        case .rpcDiscover:
            return DiscoveryResult.current
        case .metricsSubscribe:
            try request.rejectUnknownParams(SubscribeParams.keyNames)
            let settings = try request.decodeParams(SubscribeParams.self).validated()
            let notifications = MetricsSubscription.notifications(from: state.collections(for: caller), settings: settings)
            return Subscription.start(reply: settings, notifications: notifications)
        case .metricsUnsubscribe:
            return Subscription.end(reply: UnsubscribeResult())
        case .diagnostics:
            return await state.diagnostics()
        case .historyInfo:
            return try await state.historyInfo()
        case .metricsFamilies:
            try request.rejectUnknownParams([])
            return ReplyFit.fitting(
                try await state.metricFamilies(), rows: \.families, notes: \.unavailable,
                noteKey: "families", what: "families", advice: "lower prometheus_cgroup_limit"
            )
        }
    }

    /// A plain `metrics.get` or `status` from a caller who sees every process is answered from the
    /// JSON encoded once per collection (the status's with the uptime of now); a restricted caller's
    /// reply is redacted per request.
    public func readyResult(_ method: Method, caller: PeerCredentials) -> ByteBuffer? {
        state.noteClientActivity()
        switch method {
        case .metricsGet: return state.readyMetrics(for: Viewer.current(caller))?.value
        case .status: return state.readyStatus(for: Viewer.current(caller))?.value
        default: return nil
        }
    }

    public func clientConnected() {
        state.noteClientActivity()
    }

    private func setConfig(_ patch: EbpfConfigPatch, caller: PeerCredentials) async throws(RPCError) -> EbpfConfig {
        guard !patch.isEmpty else {
            throw RPCError(
                .invalidParams,
                "config.set needs at least one of: \(EbpfConfigPatch.keyNames.joined(separator: ", "))"
            )
        }
        let callerMetadata: Logger.Metadata = ["caller.uid": "\(caller.uid)", "caller.pid": "\(caller.pid)"]
        do {
            // The accepted change is logged inside apply, in the order changes take effect.
            return try await state.apply(patch, caller: callerMetadata)
        } catch {
            logger.notice(
                "Configuration change refused",
                metadata: callerMetadata.merging(["reason": "\(AuditText.bounded(error.description))"]) { $1 }
            )
            throw error.rpcError
        }
    }
}
