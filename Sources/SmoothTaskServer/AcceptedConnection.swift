import NIOCore
import NIOExtras
import SmoothTaskProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A client connection as the listener yields it: framed channel plus the peer's credentials,
/// read once at accept; or, for a refused one, nothing left to serve.
struct AcceptedConnection: Sendable {
    /// The connection, framed: each inbound element is one payload, each outbound one gets its
    /// header; `nil` when it was refused at accept (it got its `-32003` and was closed there).
    var channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>?
    /// Who connected.
    var credentials: PeerCredentials
    /// Lets the serving task reopen reading after each answer and exempt subscribers from the idle timeout.
    var gate: ConnectionGate.Handle?
    /// The connection's share of the input budget, given back request by request.
    var budget: ConnectionBudget?
    /// Finishes the connection if the server stops before a task serves it; ``SocketServer`` claims it.
    var unserved: UnservedConnection?

    /// What the listener needs to admit and set up each connection.
    struct Setup: Sendable {
        let admission: ConnectionAdmission
        let inputBudget: InputBudget
        let authorizer: Authorizer
        let limits: ServerLimits
        /// Whose ready results plain requests are answered from on the event loop.
        let handler: any RequestHandler
    }

    /// Reads `SO_PEERCRED`, admits the peer or refuses it on the spot (a refused connection holds its
    /// descriptor only for the one write), then installs the codec, the gate and the idle timer and
    /// wraps `channel`; runs on its event loop.
    static func accept(_ channel: any Channel, setup: Setup) -> EventLoopFuture<AcceptedConnection> {
        guard let options = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let peerCredentials: EventLoopFuture<UCred> = options.unsafeGetSocketOption(
            level: .socket,
            name: NIOBSDSocket.Option(rawValue: SO_PEERCRED)
        )
        setup.handler.clientConnected()
        return peerCredentials.flatMapThrowing { ucred in
            let credentials = ucred.peerCredentials
            if let refusal = setup.admission.admit(uid: credentials.uid, isPrivileged: {
                setup.authorizer.isAdministrator(credentials)
            }) {
                refuse(channel, refusal)
                return AcceptedConnection(channel: nil, credentials: credentials)
            }
            let budget = ConnectionBudget(shared: setup.inputBudget, uid: credentials.uid)
            channel.closeFuture.whenComplete { _ in
                setup.admission.release(uid: credentials.uid)
                budget.releaseAll()
            }
            let gate = ConnectionGate(ready: ReadyReplies(handler: setup.handler, caller: credentials), budget: budget)
            try channel.pipeline.syncOperations.addHandlers(
                IdleStateHandler(readTimeout: TimeAmount(setup.limits.idleTimeout)),
                ByteToMessageHandler(FrameDecoder(frameDeadline: TimeAmount(setup.limits.frameDeadline), budget: budget)),
                LengthFieldPrepender(lengthFieldBitLength: .fourBytes),
                gate
            )
            let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                wrappingChannelSynchronously: channel,
                configuration: .init(backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2))
            )
            return AcceptedConnection(
                channel: wrapped,
                credentials: credentials,
                gate: gate.handle(on: channel.eventLoop),
                budget: budget,
                unserved: UnservedConnection(wrapped)
            )
        }
    }

    /// Writes the `-32003` frame for `refusal` straight to the socket and closes it.
    private static func refuse(_ channel: any Channel, _ refusal: ConnectionAdmission.Refusal) {
        let payload = RPCResponse(id: .null, error: RPCError(.busy, refusal.message)).encoded()
        var frame = channel.allocator.buffer(capacity: ProtocolConstants.lengthHeaderBytes + payload.count)
        frame.writeInteger(UInt32(payload.count), endianness: .big)
        frame.writeBytes(payload)
        channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
    }
}
