import NIOCore
import NIOExtras
import SmoothTaskProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A client connection as the listener yields it: framed channel plus the peer's credentials,
/// read once at accept.
struct AcceptedConnection: Sendable {
    /// The connection, framed: each inbound element is one payload, each outbound one gets its header.
    var channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    /// Who connected.
    var credentials: PeerCredentials
    /// False when the connection arrived over ``ServerLimits/maxConnections``: it only gets a refusal.
    var admitted: Bool

    /// Reads `SO_PEERCRED`, takes a slot (given back when the channel closes), installs the frame
    /// codec with `frameDeadline` and wraps `channel`; runs on its event loop.
    static func accept(
        _ channel: any Channel,
        slots: ConnectionSlots,
        frameDeadline: TimeAmount
    ) -> EventLoopFuture<AcceptedConnection> {
        guard let options = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let peerCredentials: EventLoopFuture<UCred> = options.unsafeGetSocketOption(
            level: .socket,
            name: NIOBSDSocket.Option(rawValue: SO_PEERCRED)
        )
        let admitted = slots.claim()
        if admitted {
            channel.closeFuture.whenComplete { _ in slots.release() }
        }
        return peerCredentials.flatMapThrowing { credentials in
            try channel.pipeline.syncOperations.addHandlers(
                ByteToMessageHandler(FrameDecoder(frameDeadline: frameDeadline)),
                LengthFieldPrepender(lengthFieldBitLength: .fourBytes)
            )
            return AcceptedConnection(
                channel: try NIOAsyncChannel(wrappingChannelSynchronously: channel),
                credentials: credentials.peerCredentials,
                admitted: admitted
            )
        }
    }
}
