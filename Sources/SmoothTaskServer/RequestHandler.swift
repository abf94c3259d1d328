import NIOCore
import SmoothTaskProtocol

/// What the daemon plugs into the ``SocketServer``: the methods' behaviour.
///
/// The server calls it only after the frame parsed as a JSON-RPC 2.0 request, the method exists, and
/// the authorization gate let the caller through, so a handler never checks permissions itself.
/// Requests of one connection are handled one at a time, in order; different connections run
/// concurrently.
public protocol RequestHandler: Sendable {
    /// Performs `method` and returns its result, which is encoded as the reply's `result`.
    ///
    /// - Parameters:
    ///   - method: The method called, already looked up.
    ///   - request: The whole request; read typed params with ``RPCRequest/decodeParams(_:)``.
    ///   - caller: Who called, from `SO_PEERCRED`, for logging changes.
    /// - Throws: The ``RPCError`` to reply with, e.g. `-32602` for bad params or `-32002` when
    ///   something cannot be measured here.
    func handle(_ method: Method, request: RPCRequest, caller: PeerCredentials) async throws(RPCError)
        -> any Encodable & Sendable

    /// The result JSON (encoded with ``RPCCoding/encoder``) of `method` called by `caller` with no
    /// params, when it is ready without any work: the server then answers on the connection's event
    /// loop, with no task, actor or decoder involved. `nil` sends the request through
    /// ``handle(_:request:caller:)``, as always for params, a notification or any other form.
    ///
    /// Called on an event loop: it must not block and must give `caller` only what
    /// ``handle(_:request:caller:)`` would (the same visibility step).
    func readyResult(_ method: Method, caller: PeerCredentials) -> ByteBuffer?

    /// A client connected (admitted or refused), before any request: a connection costs the server
    /// work of its own. Called on an event loop: it must not block.
    func clientConnected()
}

extension RequestHandler {
    /// No result is ready ahead of a request: every request goes through ``handle(_:request:caller:)``.
    public func readyResult(_ method: Method, caller: PeerCredentials) -> ByteBuffer? { nil }

    /// Connections are not counted.
    public func clientConnected() {}
}
