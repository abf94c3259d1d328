import NIOCore
import Synchronization

/// Finishes and closes an accepted connection that no task ever served.
///
/// The listener can accept a connection just as the server stops: the connection is then dropped
/// with the listener's stream without `executeThenClose`, and NIO traps on a writer released
/// unfinished (`Deinited NIOAsyncWriter without calling finish()`), taking the daemon down at
/// shutdown. The serving task claims the connection first; one released unclaimed is closed here.
final class UnservedConnection: Sendable {
    private let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let claimed = Atomic(false)

    init(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.connection = connection
    }

    /// Marks the connection as served: its server task's `executeThenClose` finishes and closes it.
    func claim() {
        claimed.store(true, ordering: .releasing)
    }

    deinit {
        guard !claimed.load(ordering: .acquiring) else { return }
        // The task keeps the writer alive until executeThenClose has finished it.
        Task { [connection] in try? await connection.executeThenClose { _, _ in } }
    }
}
