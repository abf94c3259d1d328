import NIOCore

/// Keeps one connection to one unanswered request at a time, and closes it when it has been idle
/// too long.
///
/// After a request frame passes, it holds back the channel's reads until ``answered()``, so a client
/// that pipelines requests without reading the replies makes the server buffer at most that request
/// and what arrived with it, never a queue. Closes the connection when nothing arrived for the idle
/// timeout (an `IdleStateHandler` read event) unless it is subscribed, since a subscriber only listens.
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

    init() {}

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
        unanswered += 1
        context.fireChannelRead(data)
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
