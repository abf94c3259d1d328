import SmoothTaskClient
import SmoothTaskModel
import SmoothTaskProtocol

/// Steps through the recorded collections of a range on one connection (`metrics.get {"after"}`),
/// for `watch --replay` and `export`.
struct RecordedCollections: AsyncSequence, Sendable {
    typealias Element = EbpfMetrics

    let socketPath: String
    let from: Int64
    let to: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        let socketPath: String
        var cursor: Int64
        let to: Int64
        var client: SmoothTaskClient?

        mutating func next() async throws -> EbpfMetrics? {
            if client == nil { client = try await SmoothTaskClient.connect(socketPath: socketPath) }
            guard let client else { return nil }
            let metrics: EbpfMetrics
            do {
                metrics = try await client.call(.metricsGet, params: MetricsGetParams(after: cursor), as: EbpfMetrics.self)
            } catch let error as RPCError where error.knownCode == .unavailable {
                // Nothing recorded after the cursor: the end of the history.
                await client.close()
                return nil
            }
            guard metrics.timestamp <= to else {
                await client.close()
                return nil
            }
            cursor = metrics.timestamp
            return metrics
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        // metrics.get {"after": t} is strictly after t: start one millisecond before the range.
        AsyncIterator(socketPath: socketPath, cursor: from - 1, to: to)
    }
}
