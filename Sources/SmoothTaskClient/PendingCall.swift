#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// A call waiting for its turn on the connection: how to encode it once it has an id, and who waits
/// for the reply frame.
struct PendingCall: Sendable {
    /// The request frame's payload for the given id.
    let encode: @Sendable (Int) throws -> Data
    /// Resumed with the id sent and the reply's payload, or the error that ended the call.
    let reply: CheckedContinuation<(id: Int, payload: ByteBuffer), any Error>
}
