import NIOCore
import Synchronization

/// The latest collection's `metrics.get` result as JSON for callers who see every process, readable
/// from any thread without the ``DaemonState`` actor: the socket server answers a plain `metrics.get`
/// from it on the event loop.
///
/// Filled by the first `metrics.get` after each collection (which encodes it once, in the actor), or
/// by the collection itself when the previous one was asked for, and emptied by the next collection,
/// all inside the actor, so it never holds an older collection's bytes after a newer one is in place. Only ``DaemonState/readyMetrics(for:)`` reads it, through
/// the visibility step.
final class ReadyMetricsReply: Sendable {
    private let json = Mutex<ByteBuffer?>(nil)

    /// The JSON, or `nil` when the latest collection has not been encoded yet.
    var current: ByteBuffer? { json.withLock { $0 } }

    /// Holds `encoded` as the latest collection's JSON.
    func publish(_ encoded: some Sequence<UInt8>) {
        let buffer = ByteBuffer(bytes: encoded)
        json.withLock { $0 = buffer }
    }

    /// A new collection is in place: nothing is ready until it is encoded.
    func clear() {
        json.withLock { $0 = nil }
    }
}
