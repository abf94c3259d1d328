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
/// Create it with ``bind(socketPath:handler:authorizer:logger:)`` (which claims the path at once),
/// or ``adopt(_:handler:authorizer:logger:)`` for a socket systemd passed, and run it as a
/// ServiceLifecycle `Service`.
public final class SocketServer: Service, Sendable {
    /// Permissions of the socket file: every local user may connect; authorization is per call, by
    /// peer credentials, not by file mode.
    public static let socketFileMode: mode_t = 0o666
    /// Pending connections the kernel queues before `accept`.
    static let listenBacklog: Int32 = 128
    /// How long the check for a live daemon at the path may take; a local connect answers at once.
    static let probeTimeout = TimeAmount.seconds(2)

    /// The path the server listens on.
    public let socketPath: String
    private let listener: NIOAsyncChannel<AcceptedConnection, Never>
    private let socketFile: SocketFileIdentity?
    private let dispatcher: RequestDispatcher
    private let logger: Logger

    private init(
        socketPath: String,
        listener: NIOAsyncChannel<AcceptedConnection, Never>,
        socketFile: SocketFileIdentity?,
        dispatcher: RequestDispatcher,
        logger: Logger
    ) {
        self.socketPath = socketPath
        self.listener = listener
        self.socketFile = socketFile
        self.dispatcher = dispatcher
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
            listener = try await listen(on: descriptor)
        } catch {
            // NIO closes the descriptor when it fails after adopting it.
            removeSocketFile(at: socketPath, ifStill: socketFile, logger: logger)
            throw SocketServerError.cannotBind(path: socketPath, reason: SystemError.text(of: error))
        }
        logger.info("Listening", metadata: ["socket.path": "\(socketPath)"])
        return SocketServer(
            socketPath: socketPath,
            listener: listener,
            socketFile: socketFile,
            dispatcher: RequestDispatcher(handler: handler, authorizer: authorizer),
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
        logger: Logger
    ) async throws -> SocketServer {
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            listener = try await listen(on: inherited.descriptor)
        } catch {
            throw SocketServerError.unusableInheritedSocket(reason: SystemError.text(of: error))
        }
        logger.info("Listening on the socket systemd passed", metadata: ["socket.path": "\(inherited.path)"])
        return SocketServer(
            socketPath: inherited.path,
            listener: listener,
            socketFile: nil,
            dispatcher: RequestDispatcher(handler: handler, authorizer: authorizer),
            logger: logger
        )
    }

    private static func listen(on descriptor: NIOBSDSocket.Handle) async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: listenBacklog)
            // A client may shut down its sending side and still read the replies it is owed.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(descriptor) { channel in
                AcceptedConnection.accept(channel)
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
    /// or the server shuts down.
    private func serve(_ connection: AcceptedConnection) async {
        var logger = self.logger
        logger[metadataKey: "peer.pid"] = "\(connection.credentials.pid)"
        logger[metadataKey: "peer.uid"] = "\(connection.credentials.uid)"
        logger.debug("Connection accepted")
        do {
            try await connection.channel.executeThenClose { requests, replies in
                do {
                    for try await payload in requests.cancelOnGracefulShutdown() {
                        let reply = await dispatcher.reply(
                            to: payload,
                            caller: connection.credentials,
                            logger: logger
                        )
                        if let reply { try await replies.write(ByteBuffer(bytes: reply)) }
                    }
                } catch FrameError.oversized(let declaredBytes) {
                    logger.debug("Frame refused", metadata: ["frame.bytes": "\(declaredBytes)"])
                    let refusal = RPCResponse(
                        id: .null,
                        error: RPCError(
                            .invalidRequest,
                            "frame of \(declaredBytes) bytes exceeds the \(ProtocolConstants.maxPayloadBytes)-byte limit"
                        )
                    )
                    try await replies.write(ByteBuffer(bytes: refusal.encoded()))
                }
            }
            logger.debug("Connection closed")
        } catch {
            logger.debug("Connection failed", metadata: ["error": "\(error)"])
        }
    }

    /// Makes `path` free to bind: absent, or a stale socket that is then removed.
    private static func claim(_ path: String, logger: Logger) async throws {
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
    private static func removeSocketFile(at path: String, ifStill identity: SocketFileIdentity?, logger: Logger) {
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
