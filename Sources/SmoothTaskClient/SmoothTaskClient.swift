#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOExtras
import NIOPosix
import SmoothTaskProtocol

/// A connection to smoothtaskd: sends JSON-RPC 2.0 requests, one frame each, and reads the replies.
///
/// Calls may be made from several tasks; they go out one at a time, in the order they were made,
/// each waiting for its reply. Call ``close()`` when done.
public final class SmoothTaskClient: Sendable {
    /// The socket path connected to.
    public let socketPath: String
    private let calls: AsyncStream<PendingCall>.Continuation
    private let connection: Task<Void, Never>

    private init(socketPath: String, calls: AsyncStream<PendingCall>.Continuation, connection: Task<Void, Never>) {
        self.socketPath = socketPath
        self.calls = calls
        self.connection = connection
    }

    deinit {
        calls.finish()
    }

    /// Connects to the daemon's socket at `socketPath`.
    ///
    /// - Throws: ``ClientError/cannotConnect(path:reason:)`` saying why and what to do (daemon not
    ///   running, stale socket, no permission).
    public static func connect(
        socketPath: String = ProtocolConstants.defaultSocketPath
    ) async throws(ClientError) -> SmoothTaskClient {
        let channel = try await openChannel(socketPath: socketPath)
        let (stream, continuation) = AsyncStream.makeStream(of: PendingCall.self)
        let connection = Task { await Self.exchange(over: channel, calls: stream, finishing: continuation) }
        return SmoothTaskClient(socketPath: socketPath, calls: continuation, connection: connection)
    }

    /// A framed connection to `socketPath`: each inbound element is one payload, each outbound one gets its header.
    static func openChannel(socketPath: String) async throws(ClientError) -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers(
                            ByteToMessageHandler(FrameDecoder()),
                            LengthFieldPrepender(lengthFieldBitLength: .fourBytes)
                        )
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ClientError.cannotConnect(path: socketPath, error: error)
        }
    }

    /// Calls `method` with `params` and decodes its result as `Result`.
    ///
    /// - Throws: ``RPCError`` when the daemon replied with an error (e.g. `-32001` for a privileged
    ///   method without permission); ``ClientError`` when the call could not be made or read; an
    ///   `EncodingError` when `params` cannot be encoded.
    ///
    /// Cancelling the calling task does not withdraw a request already queued: the call returns when
    /// its reply arrives or the connection closes.
    public func call<Result: Decodable & Sendable>(
        _ method: Method,
        params: some Encodable & Sendable = EmptyParams(),
        as resultType: Result.Type = Result.self
    ) async throws -> Result {
        let (id, payload) = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<(id: Int, payload: ByteBuffer), any Error>) in
            let call = PendingCall(
                encode: { id in try RPCCoding.encoder.encode(RPCOutgoingRequest(id: id, method: method, params: params)) },
                reply: continuation
            )
            if case .terminated = calls.yield(call) {
                continuation.resume(throwing: ClientError.connectionClosed)
            }
        }
        return try Self.result(of: Data(payload.readableBytesView), id: id, method: method)
    }

    /// The result of the reply `payload` to request `id`, or the daemon's error thrown.
    static func result<Result: Decodable & Sendable>(of payload: Data, id: Int, method: Method) throws -> Result {
        let reply: RPCReply<Result>
        do {
            // Not JSONDecoder: its dynamic casts, once per type decoded, cost a one-call process more
            // than the rest of the decoding (JSONValueDecoder says why).
            reply = try JSONValueDecoder.decode(RPCReply<Result>.self, from: payload)
        } catch {
            throw ClientError.malformedReply("cannot decode the reply to \(method.rawValue): \(error)")
        }
        guard reply.id == .integer(Int64(id)) || (reply.id == .null && reply.error != nil) else {
            throw ClientError.malformedReply("reply id \(reply.id) does not match request id \(id)")
        }
        return try reply.get()
    }

    /// Closes the connection once calls already made have been answered.
    public func close() async {
        calls.finish()
        await connection.value
    }

    /// Sends each call's request and hands it the next reply frame, until the client closes or the
    /// connection breaks; then fails every call still waiting with ``ClientError/connectionClosed``.
    private static func exchange(
        over channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
        calls: AsyncStream<PendingCall>,
        finishing callsContinuation: AsyncStream<PendingCall>.Continuation
    ) async {
        var pending = calls.makeAsyncIterator()
        do {
            try await channel.executeThenClose { replies, requests in
                var nextReply = replies.makeAsyncIterator()
                var nextID = 1
                while let call = await pending.next() {
                    let id = nextID
                    nextID += 1
                    let payload: Data
                    do {
                        payload = try call.encode(id)
                    } catch {
                        call.reply.resume(throwing: error)
                        continue
                    }
                    do {
                        try await requests.write(ByteBuffer(bytes: payload))
                        guard let reply = try await nextReply.next() else { throw ClientError.connectionClosed }
                        call.reply.resume(returning: (id, reply))
                    } catch {
                        call.reply.resume(throwing: Self.clientError(for: error))
                        return
                    }
                }
            }
        } catch {
            // Closing failed: the connection is gone either way.
        }
        callsContinuation.finish()
        while let call = await pending.next() {
            call.reply.resume(throwing: ClientError.connectionClosed)
        }
    }

    /// What a failure while writing a request or reading its reply means to the caller.
    private static func clientError(for error: any Error) -> ClientError {
        switch error {
        case let error as ClientError:
            error
        case FrameError.oversized(let declaredBytes):
            .oversizedReply(declaredBytes: declaredBytes)
        default:
            .connectionClosed
        }
    }
}
