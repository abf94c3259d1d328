import Foundation
import NIOCore
import NIOPosix
import SmoothTaskProtocol

/// A bare client for the tests: raw bytes out, frames parsed by hand on the way in, so the server's
/// framing is checked by code that does not share it.
struct RawConnection {
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var received = ByteBuffer()

    /// Connects to `path`, runs `body`, closes.
    static func with<Result: Sendable>(
        _ path: String,
        _ body: (inout RawConnection) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawConnection(
                channel: channel.channel,
                inbound: inbound.makeAsyncIterator(),
                outbound: outbound
            )
            return try await body(&connection)
        }
    }

    /// A frame: 4-byte big-endian length, then the payload.
    static func frame(_ payload: String) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(payload.utf8.count), endianness: .big)
        buffer.writeString(payload)
        return Array(buffer.readableBytesView)
    }

    /// Sends `bytes` in one write.
    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends `payload` as one frame.
    func send(frame payload: String) async throws {
        try await send(Self.frame(payload))
    }

    /// Shuts down the sending side (`shutdown(SHUT_WR)`): the server sees end of input.
    func finishSending() async throws {
        try await channel.close(mode: .output)
    }

    /// The next frame's payload; `nil` when the server closed the connection (or reset it) first.
    mutating func readFrame() async throws -> String? {
        while true {
            if let length = received.getInteger(at: received.readerIndex, endianness: .big, as: UInt32.self),
                received.readableBytes >= 4 + Int(length)
            {
                received.moveReaderIndex(forwardBy: 4)
                return received.readString(length: Int(length))
            }
            let chunk: ByteBuffer?
            do {
                chunk = try await inbound.next()
            } catch let error as IOError where error.errnoCode == ECONNRESET {
                chunk = nil
            }
            guard var chunk else { return nil }
            received.writeBuffer(&chunk)
        }
    }

    /// The next reply, decoded loosely.
    mutating func readReply() async throws -> Reply? {
        guard let text = try await readFrame() else { return nil }
        return try JSONDecoder().decode(Reply.self, from: Data(text.utf8))
    }

    /// The next reply; throws if the server closed the connection instead.
    mutating func expectReply() async throws -> Reply {
        guard let reply = try await readReply() else { throw ClosedBeforeReply() }
        return reply
    }

    struct ClosedBeforeReply: Error {}

    /// A reply as the tests inspect it.
    struct Reply: Decodable, Equatable {
        var jsonrpc: String
        var id: JSONValue
        var result: JSONValue?
        var error: ErrorProbe?

        struct ErrorProbe: Decodable, Equatable {
            var code: Int
            var message: String
            var data: DataProbe?
        }

        struct DataProbe: Decodable, Equatable {
            var name: String
            var parameter: String?
        }
    }
}
