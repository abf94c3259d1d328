import NIOCore
import SmoothTaskProtocol

/// Answers one connection's plain requests (``PlainRequest``) whose result the handler has ready
/// (``RequestHandler/readyResult(_:caller:)``, e.g. the latest `metrics.get` encoded once per
/// collection), on the connection's event loop: no task, actor hop or JSON decoder per request.
///
/// The round trip of such a request is then the socket's, the parse and one copy of the result into
/// the reply (issue 17: p50 within 1.5x of a C ping-pong server answering the same bytes).
/// Privileged methods are never answered here: they go through the ``Authorizer``.
struct ReadyReplies: Sendable {
    /// Whose results they are.
    let handler: any RequestHandler
    /// Who is connected, from `SO_PEERCRED`: what the handler may show.
    let caller: PeerCredentials

    /// The reply's JSON (without the length header) when `payload` is a plain request for a ready
    /// result; `nil` sends it through the usual path.
    func reply(to payload: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard let request = PlainRequest.parse(payload), !request.method.isPrivileged,
            let result = handler.readyResult(request.method, caller: caller)
        else { return nil }
        var reply = allocator.buffer(capacity: result.readableBytes + request.idJSON.count + 32)
        RPCResponse.writeResultReply(idJSON: request.idJSON, resultJSON: result, into: &reply)
        return reply
    }
}
