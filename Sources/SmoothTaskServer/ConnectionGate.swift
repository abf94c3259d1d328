import NIOCore

/// Keeps one connection to one unanswered request at a time, and closes it when it has been idle
/// too long.
///
/// After a request frame passes, it holds back the channel's reads until ``answered()``, so a client
/// that pipelines requests without reading the replies makes the server buffer at most that request
/// and what arrived with it, never a queue. Closes the connection when nothing arrived for the idle
/// timeout (an `IdleStateHandler` read event) unless it is subscribed, since a subscriber only listens.
/// A plain request whose result is ready (``ReadyReplies``) is answered here, on the event loop, when
/// nothing else is in flight on the connection (so replies keep their order), it is not subscribed,
/// and its socket takes more (a client that does not read its replies is left to the usual path,
/// which stops reading from it); it never counts as unanswered.
/// Lives on the channel's event loop; other threads reach it through ``Handle``.
final class ConnectionGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sendable access from the task serving the connection.
    struct Handle: Sendable {
        fileprivate let gate: NIOLoopBound<ConnectionGate>

        /// The request passed last has been answered: reading may go on.
        func answered() {
            gate.eventLoop.execute { gate.value.answered() }
        }

        /// Whether the connection has a subscription, which exempts it from the idle timeout.
        func setSubscribed(_ subscribed: Bool) {
            gate.eventLoop.execute { gate.value.subscribed = subscribed }
        }
    }

    private var context: ChannelHandlerContext?
    private var unanswered = 0
    private var readHeldBack = false
    private var subscribed = false
    /// Replies written by the ready path since the last flush; flushed once per read.
    private var unflushed = false
    private let ready: ReadyReplies?
    private let budget: ConnectionBudget?

    /// A gate that answers ready results with `ready`, giving each frame's room back to `budget`.
    init(ready: ReadyReplies? = nil, budget: ConnectionBudget? = nil) {
        self.ready = ready
        self.budget = budget
    }

    func handle(on eventLoop: any EventLoop) -> Handle {
        Handle(gate: NIOLoopBound(self, eventLoop: eventLoop))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if unanswered == 0, !subscribed, let ready, context.channel.isWritable {
            let payload = unwrapInboundIn(data)
            if let reply = ready.reply(to: payload, allocator: context.channel.allocator) {
                context.write(wrapOutboundOut(reply), promise: nil)
                unflushed = true
                budget?.answered(frameBytes: payload.readableBytes)
                return
            }
        }
        unanswered += 1
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if unflushed {
            unflushed = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        guard unanswered == 0 else {
            readHeldBack = true
            return
        }
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .read = event as? IdleStateHandler.IdleStateEvent, !subscribed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func answered() {
        unanswered = max(0, unanswered - 1)
        guard unanswered == 0, readHeldBack, let context else { return }
        readHeldBack = false
        context.read()
    }
}
