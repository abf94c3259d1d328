import NIOCore
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import Synchronization

/// A small daemon stand-in: `status` echoes the caller, `metrics.get` can be slowed down with
/// `{"delay_ms": N}` and reports `{"started": true}` through ``started``, `config.get`/`config.set`
/// keep a configuration, `metrics.subscribe` pushes `{"stream": S, "seq": N, "padding": "..."}` every `every_ms`
/// (`{"every_ms": 1, "padding_bytes": 0}`). Every call is recorded. With `readyMetrics`, a plain
/// `metrics.get` is answered from those bytes on the event loop and never reaches ``handle``.
final class TestHandler: RequestHandler {
    /// What the handler saw.
    struct Call: Sendable, Equatable {
        var method: Method
        var id: JSONValue?
        var callerUID: UInt32
    }

    struct StatusResult: Codable, Sendable, Equatable {
        var callerUID: UInt32
        var callerGID: UInt32
        var callerPID: Int32
        enum CodingKeys: String, CodingKey {
            case callerUID = "caller_uid", callerGID = "caller_gid", callerPID = "caller_pid"
        }
    }

    struct DelayParams: Codable, Sendable {
        var delayMilliseconds: Int?
        var tag: String?
        enum CodingKeys: String, CodingKey { case delayMilliseconds = "delay_ms", tag }
    }

    struct MetricsResult: Codable, Sendable, Equatable {
        var tag: String?
    }

    struct SubscribeParams: Codable, Sendable {
        var everyMilliseconds: Int?
        var paddingBytes: Int?
        enum CodingKeys: String, CodingKey { case everyMilliseconds = "every_ms", paddingBytes = "padding_bytes" }
    }

    struct Tick: Codable, Sendable, Equatable {
        /// Which subscription pushed it: numbered from 1 in the order they were made, process-wide.
        var stream: Int
        var seq: Int
        var padding: String
    }

    private let log = CallLog()
    /// Yields the tag of each `metrics.get` call when it starts.
    let started: AsyncStream<String?>
    private let startedContinuation: AsyncStream<String?>.Continuation

    /// The `metrics.get` result JSON the server may answer plain requests with.
    let readyMetrics: ByteBuffer?

    init(readyMetrics: ByteBuffer? = nil) {
        self.readyMetrics = readyMetrics
        (started, startedContinuation) = AsyncStream.makeStream(of: String?.self)
    }

    func readyResult(_ method: Method, caller: PeerCredentials) -> ByteBuffer? {
        method == .metricsGet ? readyMetrics : nil
    }

    var calls: [Call] { get async { await log.calls } }
    var config: EbpfConfig { get async { await log.config } }

    func handle(_ method: Method, request: RPCRequest, caller: PeerCredentials) async throws(RPCError)
        -> any Encodable & Sendable
    {
        await log.record(Call(method: method, id: request.id, callerUID: caller.uid))
        switch method {
        case .status:
            return StatusResult(callerUID: caller.uid, callerGID: caller.gid, callerPID: caller.pid)
        case .metricsGet:
            let params = try request.decodeParams(DelayParams.self)
            startedContinuation.yield(params.tag)
            if let delay = params.delayMilliseconds {
                try? await Task.sleep(for: .milliseconds(delay))
            }
            return MetricsResult(tag: params.tag)
        case .configGet:
            return await log.config
        case .configSet:
            let patch = try request.decodeParams(EbpfConfigPatch.self)
            do {
                return try await log.apply(patch)
            } catch {
                throw RPCError(.invalidParams, error.message, parameter: error.field)
            }
        case .processesTop:
            // Echoes the decoded query: the server tests exercise transport, not the process table.
            return try request.decodeParams(ProcessTopQuery.self)
        case .processesExited:
            return try request.decodeParams(ExitedProcessesQuery.self)
        case .overhead:
            throw RPCError(.unavailable, "the test handler measures nothing")
        case .rpcDiscover:
            return DiscoveryResult.current
        case .metricsSubscribe:
            let params = try request.decodeParams(SubscribeParams.self)
            return Subscription.start(reply: EmptyParams(), notifications: Self.ticks(params))
        case .metricsUnsubscribe:
            return Subscription.end(reply: UnsubscribeResult())
        case .cgroupsTop:
            throw RPCError(.unavailable, "cgroups.top is not served by the test handler")
        case .diagnostics:
            throw RPCError(.unavailable, "the test handler has no diagnostics")
        case .historyInfo:
            throw RPCError(.unavailable, "the test handler keeps no history")
        case .metricsFamilies:
            throw RPCError(.unavailable, "the test handler takes no collection")
        }
    }

    /// Subscriptions made so far in this process, which numbers each stream's ticks.
    private static let streamsMade = Atomic<Int>(0)

    /// Numbered notifications every `every_ms`, newest-only buffered like the daemon's: a reader
    /// that starts late gets the newest tick, so a stream's first delivered `seq` may be above 1.
    private static func ticks(_ params: SubscribeParams) -> AsyncStream<RPCNotification> {
        let (stream, continuation) = AsyncStream.makeStream(of: RPCNotification.self, bufferingPolicy: .bufferingNewest(1))
        let padding = String(repeating: "x", count: params.paddingBytes ?? 0)
        let streamNumber = streamsMade.add(1, ordering: .relaxed).newValue
        let producer = Task {
            var seq = 0
            while !Task.isCancelled {
                seq += 1
                continuation.yield(RPCNotification(method: "test.tick", params: Tick(stream: streamNumber, seq: seq, padding: padding)))
                try? await Task.sleep(for: .milliseconds(params.everyMilliseconds ?? 1))
            }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return stream
    }
}

/// The handler's mutable state.
actor CallLog {
    private(set) var calls: [TestHandler.Call] = []
    private(set) var config = EbpfConfig.defaults

    func record(_ call: TestHandler.Call) { calls.append(call) }

    func apply(_ patch: EbpfConfigPatch) throws(ConfigValidationError) -> EbpfConfig {
        config = try config.applying(patch)
        return config
    }
}
