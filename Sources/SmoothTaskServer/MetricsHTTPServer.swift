#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SmoothTaskModel

/// A minimal HTTP/1.1 server for `GET /metrics` on a TCP address or a Unix socket.
///
/// It renders nothing itself: each request's `Accept` header goes to a closure that returns the
/// body from the daemon's latest snapshot, so a scrape never triggers a collection. Other paths get
/// 404, other methods 405; request bodies are ignored.
///
/// It may face a network, so it has the control socket's kind of limits: at most ``maxConnections``
/// at once (the next gets `503` and is closed), each request complete within ``requestDeadline`` of
/// the connection's start or the previous response (slow senders, idle keep-alives and endless
/// bodies are closed), headers capped by the HTTP parser (80 KiB: the parser answers `400` and
/// closes), a body over ``maxRequestBodyBytes`` answered `413` and closed, one request answered at a time.
public final class MetricsHTTPServer: Sendable {
    /// Answers one scrape: given the `Accept` header, the `Content-Type` and body to send.
    public typealias Responder = @Sendable (_ accept: String?) async -> (contentType: String, body: String)

    /// The path scrapers ask for.
    public static let metricsPath = "/metrics"
    /// Pending connections the kernel queues before accept: a burst of connections waits there
    /// (costing the daemon no descriptor) instead of having its SYNs dropped.
    static let listenBacklog: Int32 = 128
    /// Scrapers served at once: a Prometheus server or two, an agent, a person with curl.
    public static let maxConnections = 16
    /// How long a request may take to arrive whole; a scraper sends its few hundred bytes at once.
    public static let requestDeadline = TimeAmount.seconds(10)
    /// Body bytes one request may carry: a scrape is a GET without one, and the body is never read,
    /// so more is a client sending data it should not (refused before it can fill the deadline).
    public static let maxRequestBodyBytes = 4096
    /// What a connection over ``maxConnections`` is told before it is closed.
    static let busyResponse = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 42\r\n"
        + "Connection: close\r\n\r\nToo many connections to smoothtaskd metrics\n"

    /// Where it listens.
    public let address: MetricsListenAddress
    private let channel: any Channel
    private let serving: Task<Void, Never>
    private let socketFile: SocketFileIdentity?
    private let logger: Logger

    private init(
        address: MetricsListenAddress, channel: any Channel, serving: Task<Void, Never>, socketFile: SocketFileIdentity?,
        logger: Logger
    ) {
        self.address = address
        self.channel = channel
        self.serving = serving
        self.socketFile = socketFile
        self.logger = logger
    }

    /// Binds `address` now and starts serving in the background until ``close()``.
    /// - Throws: ``MetricsServerError`` saying why it cannot listen there.
    /// - Parameter deadline: how long each request may take to arrive (``requestDeadline``; tests shorten it).
    public static func start(
        on address: MetricsListenAddress, responder: @escaping Responder, logger: Logger, deadline: TimeAmount = requestDeadline
    ) async throws(MetricsServerError) -> MetricsHTTPServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: listenBacklog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        let connections = ConnectionCounter(limit: maxConnections)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>?> = {
            channel in
            channel.eventLoop.makeCompletedFuture {
                guard connections.claim() else {
                    channel.writeAndFlush(ByteBuffer(string: busyResponse)).whenComplete { _ in channel.close(promise: nil) }
                    return nil
                }
                channel.closeFuture.whenComplete { _ in connections.release() }
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(HTTPRequestDeadline(deadline: deadline))
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
        let listener: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>?, Never>
        var socketFile: SocketFileIdentity?
        do {
            switch address {
            case .tcp(let host, let port):
                listener = try await bootstrap.bind(host: host, port: port, childChannelInitializer: initializer)
            case .unix(let path):
                try await SocketServer.claim(path, logger: logger)
                listener = try await bootstrap.bind(
                    unixDomainSocketPath: path, cleanupExistingSocketFile: false, childChannelInitializer: initializer
                )
                if case .socket(let identity) = SocketFileIdentity.inspect(path) { socketFile = identity }
                do {
                    try SocketFileMode.set(SocketServer.socketFileMode, at: path, expecting: socketFile)
                } catch {
                    try? await listener.channel.close()
                    SocketServer.removeSocketFile(at: path, ifStill: socketFile, logger: logger)
                    throw MetricsServerError(address: address.description, reason: "\(error)")
                }
            }
        } catch let error as MetricsServerError {
            throw error
        } catch let error as SocketServerError {
            throw MetricsServerError(address: address.description, reason: "\(error)")
        } catch {
            throw MetricsServerError(address: address.description, reason: SystemError.text(of: error))
        }
        let serving = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { connections in
                        for try await case let connection? in connections {
                            group.addTask { await serve(connection, responder: responder, logger: logger) }
                        }
                    }
                } catch {
                    logger.debug("Metrics listener closed", metadata: ["error": "\(error)"])
                }
                group.cancelAll()
            }
        }
        logger.info("Metrics endpoint listening", metadata: ["metrics.address": "\(address)"])
        return MetricsHTTPServer(address: address, channel: listener.channel, serving: serving, socketFile: socketFile, logger: logger)
    }

    /// Stops listening, ends open connections and removes its Unix socket file; returns when done.
    public func close() async {
        try? await channel.close()
        serving.cancel()
        await serving.value
        if case .unix(let path) = address { SocketServer.removeSocketFile(at: path, ifStill: socketFile, logger: logger) }
        logger.info("Metrics endpoint closed", metadata: ["metrics.address": "\(address)"])
    }

    /// Answers one connection's requests in order (keep-alive) until the peer closes.
    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, responder: Responder, logger: Logger
    ) async {
        do {
            try await connection.executeThenClose { requests, responses in
                var head: HTTPRequestHead?
                var bodyBytes = 0
                for try await part in requests {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        bodyBytes = 0
                    case .body(let chunk):
                        bodyBytes += chunk.readableBytes
                        guard bodyBytes > maxRequestBodyBytes, let request = head else { continue }
                        try await refuseOversized(request, responses: responses)
                        return
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        try await respond(to: request, responder: responder, responses: responses)
                        if !request.isKeepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("Metrics connection failed", metadata: ["error": "\(error)"])
        }
    }

    /// Answers `413` and ends the connection: the rest of the body is never read.
    private static func refuseOversized(
        _ request: HTTPRequestHead, responses: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        let bytes = ByteBuffer(string: "A request to \(metricsPath) carries at most \(maxRequestBodyBytes) body bytes.\n")
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(bytes.readableBytes)")
        headers.add(name: "Connection", value: "close")
        try await responses.write(.head(HTTPResponseHead(version: request.version, status: .payloadTooLarge, headers: headers)))
        try await responses.write(.body(.byteBuffer(bytes)))
        try await responses.write(.end(nil))
    }

    private static func respond(
        to request: HTTPRequestHead, responder: Responder, responses: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let status: HTTPResponseStatus
        var contentType = "text/plain; charset=utf-8"
        var body: String
        var headers = HTTPHeaders()
        if path != metricsPath {
            (status, body) = (.notFound, "Not found: SmoothTask serves \(metricsPath) only.\n")
        } else if request.method != .GET && request.method != .HEAD {
            (status, body) = (.methodNotAllowed, "Only GET and HEAD are allowed on \(metricsPath).\n")
            headers.add(name: "Allow", value: "GET, HEAD")
        } else {
            status = .ok
            (contentType, body) = await responder(request.headers.first(name: "Accept"))
        }
        let bytes = ByteBuffer(string: body)
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(bytes.readableBytes)")
        headers.add(name: "Connection", value: request.isKeepAlive ? "keep-alive" : "close")
        try await responses.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
        if request.method != .HEAD { try await responses.write(.body(.byteBuffer(bytes))) }
        try await responses.write(.end(nil))
    }
}
