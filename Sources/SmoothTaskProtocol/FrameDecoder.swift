import NIOCore

/// Splits a byte stream into payloads of the form: 4-byte unsigned big-endian length N, then N bytes.
///
/// Unlike NIOExtras' `LengthFieldBasedFrameDecoder`, which only stops at `Int32.max`, it refuses a
/// header over ``ProtocolConstants/maxPayloadBytes`` as soon as the 4 header bytes arrive, before
/// any of the payload is buffered.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ByteBuffer

    /// The largest payload accepted, in bytes.
    public let maxPayloadBytes: Int

    /// Creates a decoder that refuses payloads larger than `maxPayloadBytes`.
    public init(maxPayloadBytes: Int = ProtocolConstants.maxPayloadBytes) {
        self.maxPayloadBytes = maxPayloadBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return .needMoreData
        }
        guard length <= maxPayloadBytes else {
            throw FrameError.oversized(declaredBytes: Int(length))
        }
        let headerBytes = ProtocolConstants.lengthHeaderBytes
        guard let payload = buffer.getSlice(at: buffer.readerIndex + headerBytes, length: Int(length)) else {
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: headerBytes + Int(length))
        context.fireChannelRead(Self.wrapInboundOut(payload))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // A half frame at EOF is dropped: the peer hung up before finishing its request.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
