#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SmoothTaskProtocol

/// Serves JSON-RPC 2.0 over a Unix stream socket, one length-prefixed frame per request.
///
/// Any local user may connect and call read-only methods; privileged ones go through the
/// ``Authorizer`` with the peer credentials taken at accept. Each connection is served in its own
/// child task, its requests one after another so replies keep their order; a connection that fails
/// is logged at `.debug` and does not disturb the others.
///
/// What one client, one user, or all of them can make it hold is capped (``ServerLimits``):
/// connections in total and per user, with slots kept for root and the admin group; frame size and
/// the time to send one; one unanswered request per connection; a shared budget for large frames;
/// reply bytes queued per connection; an idle timeout. A client that does not read its replies is no
/// longer read from, and a subscriber that does not read its notifications is dropped.
///
/// Create it with ``bind(socketPath:handler:authorizer:limits:logger:)`` (which claims the path at
/// once), or ``adopt(_:handler:authorizer:limits:logger:)`` for a socket systemd passed, and run it
/// as a ServiceLifecycle `Service`.
public final class SocketServer: Service, Sendable {
    /// Permissions of the socket file: every local user may connect; authorization is per call, by
    /// peer credentials, not by file mode.
    public static let socketFileMode: mode_t = 0o666
    /// Pending connections the kernel queues before `accept`: as many as may be served, so a burst
    /// of clients connecting at once waits instead of failing with EAGAIN (the kernel caps it at
    /// `net.core.somaxconn`, 4096 by default).
    static func listenBacklog(_ limits: ServerLimits) -> Int32 {
        Int32(clamping: limits.maxConnections)
    }
    /// How long the check for a live daemon at the path may take; a local connect answers at once.
    static let probeTimeout = TimeAmount.seconds(2)

    /// The path the server listens on.
    public let socketPath: String
    private let listener: NIOAsyncChannel<AcceptedConnection, Never>
    private let socketFile: SocketFileIdentity?
    private let dispatcher: RequestDispatcher
    private let limits: ServerLimits
    private let logger: Logger

    private init(
        socketPath: String,
        listener: NIOAsyncChannel<AcceptedConnection, Never>,
        socketFile: SocketFileIdentity?,
        dispatcher: RequestDispatcher,
        limits: ServerLimits,
        logger: Logger
    ) {
        self.socketPath = socketPath
        self.listener = listener
        self.socketFile = socketFile
        self.dispatcher = dispatcher
        self.limits = limits
        self.logger = logger
    }

    /// Binds the Unix socket at `socketPath` now, so a daemon that cannot serve fails before it loads
    /// anything, and makes it connectable by every user (mode 0666).
    ///
    /// Never steals a live socket: if something accepts connections at the path this throws
    /// ``SocketServerError/socketInUse(path:)``; a socket nobody listens on (connection refused) is
    /// stale and replaced; a path that is not a socket is refused and left alone.
    ///
    /// Call ``run()`` on the result, normally through a `ServiceGroup`.
    public static func bind(
        socketPath: String,
        handler: any RequestHandler,
        authorizer: Authorizer,
        limits: ServerLimits = ServerLimits(),
        logger: Logger
    ) async throws -> SocketServer {
        try await claim(socketPath, logger: logger)
        let descriptor = try BoundSocket.make(at: socketPath)
        let socketFile: SocketFileIdentity?
        if case .socket(let identity) = SocketFileIdentity.inspect(socketPath) {
            socketFile = identity
        } else {
            socketFile = nil
        }
        guard chmod(socketPath, socketFileMode) == 0 else {
            let reason = SystemError.text(errno)
            close(descriptor)
            removeSocketFile(at: socketPath, ifStill: socketFile, logger: logger)
            throw SocketServerError.cannotSetPermissions(path: socketPath, reason: reason)
        }
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            listener = try await listen(on: descriptor, limits: limits, authorizer: authorizer, handler: handler)
        } catch {
            // NIO closes the descriptor when it fails after adopting it.
            removeSocketFile(at: socketPath, ifStill: socketFile, logger: logger)
            throw SocketServerError.cannotBind(path: socketPath, reason: SystemError.text(of: error))
        }
        raiseBacklog(of: descriptor, limits: limits, logger: logger)
        logger.info("Listening", metadata: ["socket.path": "\(socketPath)", "backlog": "\(listenBacklog(limits))"])
        return SocketServer(
            socketPath: socketPath,
            listener: listener,
            socketFile: socketFile,
            dispatcher: RequestDispatcher(handler: handler, authorizer: authorizer),
            limits: limits,
            logger: logger
        )
    }

    /// Serves on a listening socket systemd passed (socket activation). Its file belongs to the
    /// `.socket` unit: the server never removes it, so clients keep connecting (and systemd keeps
    /// starting the daemon on demand) after this process stops.
    public static func adopt(
        _ inherited: InheritedSocket,
        handler: any RequestHandler,
        authorizer: Authorizer,
        limits: ServerLimits = ServerLimits(),
        logger: Logger
    ) async throws -> SocketServer {
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            listener = try await listen(on: inherited.descriptor, limits: limits, authorizer: authorizer, handler: handler)
        } catch {
            throw SocketServerError.unusableInheritedSocket(reason: SystemError.text(of: error))
        }
        raiseBacklog(of: inherited.descriptor, limits: limits, logger: logger)
        logger.info("Listening on the socket systemd passed", metadata: ["socket.path": "\(inherited.path)"])
        return SocketServer(
            socketPath: inherited.path,
            listener: listener,
            socketFile: nil,
            dispatcher: RequestDispatcher(handler: handler, authorizer: authorizer),
            limits: limits,
            logger: logger
        )
    }

    private static func listen(
        on descriptor: NIOBSDSocket.Handle,
        limits: ServerLimits,
        authorizer: Authorizer,
        handler: any RequestHandler
    ) async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        let setup = AcceptedConnection.Setup(
            admission: ConnectionAdmission(limits: limits),
            inputBudget: InputBudget(totalBytes: limits.largeFrameBudgetBytes, perUserBytes: limits.largeFrameBudgetPerUserBytes),
            authorizer: authorizer,
            limits: limits,
            handler: handler
        )
        let replyWaterMark = ChannelOptions.Types.WriteBufferWaterMark(
            low: limits.maxPendingReplyBytes / 2,
            high: limits.maxPendingReplyBytes
        )
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            // A client may shut down its sending side and still read the replies it is owed.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark, value: replyWaterMark)
            .bind(descriptor) { channel in
                AcceptedConnection.accept(channel, setup: setup)
            }
    }

    /// NIO listens on an adopted descriptor with a fixed backlog of 128, ignoring `.backlog`; calling
    /// listen(2) again on the listening socket sets the backlog the connection cap needs.
    private static func raiseBacklog(of descriptor: NIOBSDSocket.Handle, limits: ServerLimits, logger: Logger) {
        if Glibc.listen(descriptor, listenBacklog(limits)) != 0 {
            logger.warning("Listen backlog not raised", metadata: ["error": "\(SystemError.text(errno))"])
        }
    }

    /// Serves until graceful shutdown (ServiceLifecycle) or cancellation.
    ///
    /// On graceful shutdown it closes the listener and removes its socket file (only if the path
    /// still names the socket it created), lets requests being handled finish and be answered, then
    /// returns. Requests that arrive afterwards are not read. Call it once.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            defer { Self.removeSocketFile(at: socketPath, ifStill: socketFile, logger: logger) }
            try await listener.executeThenClose { connections in
                for try await connection in connections.cancelOnGracefulShutdown() {
                    group.addTask { await self.serve(connection) }
                }
            }
            logger.info("Listener closed; finishing requests in progress", metadata: ["socket.path": "\(socketPath)"])
        }
        logger.info("Socket server stopped", metadata: ["socket.path": "\(socketPath)"])
    }

    /// Answers one connection's requests in order until the peer hangs up, the frame stream breaks,
    /// or the server shuts down; forwards its subscription's notifications meanwhile.
    private func serve(_ connection: AcceptedConnection) async {
        var logger = self.logger
        logger[metadataKey: "peer.pid"] = "\(connection.credentials.pid)"
        logger[metadataKey: "peer.uid"] = "\(connection.credentials.uid)"
        guard let asyncChannel = connection.channel else {
            logger.debug("Connection refused at accept: connection limits reached")
            return
        }
        logger.debug("Connection accepted")
        connection.unserved?.claim()
        let channel = asyncChannel.channel
        do {
            try await asyncChannel.executeThenClose { requests, replies in
                var subscription: Task<Void, Never>?
                do {
                    for try await payload in requests.cancelOnGracefulShutdown() {
                        let reply = await dispatcher.reply(to: payload, caller: connection.credentials, logger: logger)
                        if reply.subscription != nil, let previous = subscription {
                            // The old stream ends before the reply goes out (a cancelled write yields
                            // nothing), so none of its notifications follows the reply.
                            previous.cancel()
                            await previous.value
                            subscription = nil
                        }
                        // Awaiting the write stops reading from a client that does not read its replies.
                        if let frame = reply.frame { try await replies.write(ByteBuffer(bytes: frame)) }
                        connection.budget?.answered(frameBytes: payload.readableBytes)
                        connection.gate?.answered()
                        if let change = reply.subscription {
                            subscription = change.notifications.map { Self.forward($0, through: replies, of: channel, logger: logger) }
                            connection.gate?.setSubscribed(subscription != nil)
                        }
                    }
                } catch let error as FrameError {
                    logger.debug("Frame refused", metadata: ["frame.error": "\(error)"])
                    try? await replies.write(ByteBuffer(bytes: RPCResponse(id: .null, error: error.rpcError).encoded()))
                } catch {
                    subscription?.cancel()
                    throw error
                }
                subscription?.cancel()
            }
            logger.debug("Connection closed")
        } catch {
            logger.debug("Connection failed", metadata: ["error": "\(error)"])
        }
    }

    /// How long one notification may wait for room in a subscriber's socket before the subscriber is
    /// dropped: a client that reads makes room within milliseconds.
    static let subscriberStallTimeout = TimeAmount.seconds(2)

    /// Writes each notification through `writer`, the connection's own (the one its replies go
    /// through), so replies and notifications leave in the order they were written and a write waits
    /// while the socket is full, until the stream ends, the task is cancelled or the writer is
    /// finished. A subscriber still holding a full write buffer (``Channel/isWritable`` false) when
    /// the next one is due, or whose write waited ``subscriberStallTimeout``, is not reading: its
    /// connection is closed rather than buffered for.
    private static func forward(
        _ notifications: AsyncStream<RPCNotification>,
        through writer: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        of channel: any Channel,
        logger: Logger
    ) -> Task<Void, Never> {
        @Sendable func drop() {
            logger.notice("Subscriber dropped: not reading its notifications")
            channel.close(promise: nil)
        }
        return Task {
            for await notification in notifications {
                guard channel.isWritable else { return drop() }
                guard let frame = notification.encoded() else {
                    logger.error("Notification could not be encoded", metadata: ["rpc.method": "\(notification.method)"])
                    continue
                }
                // The write that filled the socket waits for room the client never makes, and the
                // check above would never run again: a write that takes this long drops it too.
                let stalled = channel.eventLoop.scheduleTask(in: subscriberStallTimeout) { drop() }
                defer { stalled.cancel() }
                do {
                    try await writer.write(ByteBuffer(bytes: frame))
                } catch {
                    // The connection is closing (the writer is finished) or the subscription was replaced.
                    return
                }
            }
        }
    }

    /// Makes `path` free to bind: absent, or a stale socket that is then removed.
    static func claim(_ path: String, logger: Logger) async throws {
        switch SocketFileIdentity.inspect(path) {
        case .missing:
            return
        case .other:
            throw SocketServerError.notASocket(path: path)
        case .socket:
            break
        }
        do {
            let probe = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(probeTimeout)
                .connect(unixDomainSocketPath: path)
                .get()
            try? await probe.close()
            throw SocketServerError.socketInUse(path: path)
        } catch let error as SocketServerError {
            throw error
        } catch {
            switch SystemError.code(of: error) {
            case ECONNREFUSED:
                logger.notice("Removing stale socket", metadata: ["socket.path": "\(path)"])
                guard unlink(path) == 0 || errno == ENOENT else {
                    throw SocketServerError.cannotRemoveStale(path: path, reason: SystemError.text(errno))
                }
            case EAGAIN:
                // Its accept queue is full: a live but busy daemon.
                throw SocketServerError.socketInUse(path: path)
            case ENOENT:
                return  // removed meanwhile
            default:
                throw SocketServerError.cannotProbe(path: path, reason: SystemError.text(of: error))
            }
        }
    }

    /// Removes the socket file at `path` if it is still `identity`, the one this server created.
    static func removeSocketFile(at path: String, ifStill identity: SocketFileIdentity?, logger: Logger) {
        guard let identity, SocketFileIdentity.inspect(path) == .socket(identity) else {
            logger.debug("Socket file left in place: not the one this server created", metadata: ["socket.path": "\(path)"])
            return
        }
        if unlink(path) == 0 {
            logger.debug("Socket file removed", metadata: ["socket.path": "\(path)"])
        } else {
            logger.warning(
                "Socket file could not be removed",
                metadata: ["socket.path": "\(path)", "error": "\(SystemError.text(errno))"]
            )
        }
    }
}
