#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import SmoothTaskModel
import SmoothTaskProtocol

/// A `metrics.subscribe` on a connection of its own: the daemon's acknowledgement, then each update.
///
/// The daemon drops a subscriber that stops reading, so iterate ``updates`` steadily. Updates carry
/// only the subscribed groups' figures; the others are `nil`.
public struct MetricsWatch: Sendable {
    /// The subscription as the daemon serves it (interval, groups).
    public let settings: SubscribeResult
    /// One element per `metrics.update`; finishes when the daemon closes the connection, throws
    /// ``ClientError`` when an update cannot be read. Ending the iteration closes the connection.
    public let updates: AsyncThrowingStream<EbpfMetrics, any Error>

    /// Connects to `socketPath` and subscribes with `params`.
    ///
    /// - Throws: ``ClientError`` when the daemon cannot be reached; ``RPCError`` when it refuses
    ///   the params (e.g. `-32602` for an unknown group).
    public static func start(
        socketPath: String = ProtocolConstants.defaultSocketPath,
        params: SubscribeParams = SubscribeParams()
    ) async throws -> MetricsWatch {
        let channel = try await SmoothTaskClient.openChannel(socketPath: socketPath)
        let (acknowledged, acknowledge) = AsyncStream.makeStream(of: Result<SubscribeResult, any Error>.self)
        let (updates, continuation) = AsyncThrowingStream.makeStream(of: EbpfMetrics.self)
        let connection = Task {
            do {
                try await channel.executeThenClose { frames, requests in
                    try await requests.write(ByteBuffer(bytes: RPCCoding.encoder.encode(
                        RPCOutgoingRequest(id: 1, method: .metricsSubscribe, params: params)
                    )))
                    var iterator = frames.makeAsyncIterator()
                    guard let first = try await iterator.next() else { throw ClientError.connectionClosed }
                    acknowledge.yield(Result { try Self.decode(RPCReply<SubscribeResult>.self, first).get() })
                    acknowledge.finish()
                    while let frame = try await iterator.next() {
                        // Other notifications, from a newer daemon, are not ours to read.
                        guard let update = try? Self.decode(RPCIncomingNotification<JSONValue>.self, frame),
                              update.method == ProtocolConstants.metricsUpdateNotification
                        else { continue }
                        continuation.yield(try Self.decode(RPCIncomingNotification<EbpfMetrics>.self, frame).params)
                    }
                }
                continuation.finish()
            } catch {
                acknowledge.yield(.failure(error))
                acknowledge.finish()
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in connection.cancel() }
        var results = acknowledged.makeAsyncIterator()
        guard let result = await results.next() else { throw ClientError.connectionClosed }
        do {
            return MetricsWatch(settings: try result.get(), updates: updates)
        } catch {
            connection.cancel()
            throw error
        }
    }

    private static func decode<Value: Decodable>(_ type: Value.Type, _ frame: ByteBuffer) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(frame.readableBytesView))
        } catch {
            throw ClientError.malformedReply("cannot decode a metrics.subscribe frame: \(error)")
        }
    }
}
