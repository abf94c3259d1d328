import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

/// One connection to the daemon that the full-screen views keep open, made again after it broke
/// (a daemon restart): each call connects first if needed; a call that fails on the connection
/// drops it, so the next one tries afresh.
final class DaemonLink {
    let socketPath: String
    private var client: SmoothTaskClient?

    init(socketPath: String) {
        self.socketPath = socketPath
    }

    func call<Result: Decodable & Sendable>(
        _ method: SmoothTaskProtocol.Method, params: some Encodable & Sendable, as type: Result.Type
    ) async throws -> Result {
        let client: SmoothTaskClient
        if let open = self.client {
            client = open
        } else {
            client = try await SmoothTaskClient.connect(socketPath: socketPath)
            self.client = client
        }
        do {
            return try await client.call(method, params: params, as: type)
        } catch let error as ClientError {
            self.client = nil
            await client.close()
            throw error
        }
    }

    /// The recorded collection before (`back`) or after `timestamp`, or `nil` when the history
    /// holds none there.
    func recordedNeighbour(of timestamp: Int64, back: Bool) async throws -> EbpfMetrics? {
        let params = back ? MetricsGetParams(at: timestamp - 1) : MetricsGetParams(after: timestamp)
        do {
            return try await call(.metricsGet, params: params, as: EbpfMetrics.self)
        } catch let error as RPCError where error.knownCode == .unavailable {
            return nil
        }
    }

    func close() async {
        await client?.close()
        client = nil
    }
}
