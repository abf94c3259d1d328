import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import Synchronization

/// The daemon's request handling without its collectors: every method reads its params with the
/// daemon's own types and checks (`EbpfConfigPatch` + `EbpfConfig.applying`, `ProcessTopQuery`,
/// `CgroupsTopParams.validatedLimit()`, `SubscribeParams` + `validated()`), in the order
/// `DaemonRequestHandler` does, and answers what the daemon answers before its first collection.
///
/// Not `DaemonRequestHandler` itself: its `DaemonState` needs an `EbpfMetricsCollector`, whose
/// `processes.top` walks /proc (milliseconds per call) and whose `config.set` switches real eBPF
/// programs on and off; a fuzzer must not do either a million times.
final class FuzzRequestHandler: RequestHandler {
    /// The configuration in force; only an accepted `config.set` changes it.
    let config = Mutex(EbpfConfig.defaults)

    /// Rows for `cgroups.top` to group and cut, so its limit reaches `CgroupsReport.top`.
    private static let cgroups = CgroupsReport(
        by: .cgroup,
        cgroups: [
            CgroupCPUUsage(cgroup: "/system.slice/ssh.service", id: 1, unit: "ssh.service", cpuPercent: 0.5,
                           cpuTimeNanoseconds: 5, cpuTotalNanoseconds: 50),
            CgroupCPUUsage(cgroup: "/system.slice/ssh.service/child", id: 2, unit: "ssh.service", cpuPercent: 0.3,
                           cpuTimeNanoseconds: 3, cpuTotalNanoseconds: 30),
            CgroupCPUUsage(cgroup: nil, id: 3, unit: nil, cpuPercent: 0.1, cpuTimeNanoseconds: 1, cpuTotalNanoseconds: 10),
        ],
        timestamp: 0, windowMilliseconds: 1000, source: .ebpf
    )

    /// The daemon's answer to methods that read the latest collection before there is one.
    private static let noCollection = RPCError(.unavailable, "no collection has been taken yet; try again in a second")

    func handle(_ method: Method, request: RPCRequest, caller: PeerCredentials) async throws(RPCError)
        -> any Encodable & Sendable
    {
        switch method {
        case .status, .metricsGet, .overhead:
            throw Self.noCollection
        case .configGet:
            return config.withLock { $0 }
        case .cgroupsTop:
            let params = try request.decodeParams(CgroupsTopParams.self)
            return Self.cgroups.top(try params.validatedLimit(), by: params.by ?? .cgroup)
        case .configSet:
            let patch = try request.decodeParams(EbpfConfigPatch.self)
            guard !patch.isEmpty else {
                throw RPCError(.invalidParams, "config.set needs at least one of: \(EbpfConfigPatch.keyNames.joined(separator: ", "))")
            }
            let outcome = config.withLock { config -> Result<EbpfConfig, ConfigValidationError> in
                do throws(ConfigValidationError) {
                    config = try config.applying(patch)
                    return .success(config)
                } catch {
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let changed): return changed
            case .failure(let error): throw RPCError(.invalidParams, error.message, parameter: error.field)
            }
        case .processesTop:
            // The query as the daemon reads it; the rows themselves come from /proc, not fuzzed here.
            let query = try request.decodeParams(ProcessTopQuery.self)
            return ProcessTop(
                sort: query.sort, windowMilliseconds: 1000, timestamp: 0, matched: 0, processes: [], unavailable: [:]
            )
        case .processesExited:
            // As processes.top: the params as the daemon reads them; no exit records here.
            let query = try request.decodeParams(ExitedProcessesQuery.self)
            return ExitedProcesses(
                sort: query.sort, list: ExitedProcessesStatus(held: 0, capacity: 1, memoryBytes: 0, seen: 0, dropped: 0),
                matched: 0, processes: [], unavailable: [:]
            )
        case .historyInfo:
            throw RPCError(.unavailable, "the fuzz harness records no history")
        case .metricsFamilies:
            // The params check the daemon makes; the families come from a collection, not fuzzed here.
            try request.rejectUnknownParams([])
            throw RPCError(.unavailable, "the fuzz harness takes no collection")
        case .rpcDiscover:
            return DiscoveryResult.current
        case .metricsSubscribe:
            try request.rejectUnknownParams(SubscribeParams.keyNames)
            let settings = try request.decodeParams(SubscribeParams.self).validated()
            // Ends at once: the fuzzer checks the reply, and an open stream per input would pile up.
            let (notifications, continuation) = AsyncStream.makeStream(of: RPCNotification.self)
            continuation.finish()
            return Subscription.start(reply: settings, notifications: notifications)
        case .metricsUnsubscribe:
            return Subscription.end(reply: UnsubscribeResult())
        case .diagnostics:
            throw RPCError(.unavailable, "the fuzz target runs no diagnostics: they probe the kernel")
        }
    }
}
