import NIOCore

/// Splits a byte stream into payloads of the form: 4-byte unsigned big-endian length N, then N bytes.
///
/// Unlike NIOExtras' `LengthFieldBasedFrameDecoder`, which only stops at `Int32.max`, it refuses a
/// header over ``ProtocolConstants/maxPayloadBytes`` as soon as the 4 header bytes arrive, before
/// any of the payload is buffered.
///
/// With a ``frameDeadline`` it also refuses a frame that is not complete that long after its first
/// byte arrived (``FrameError/stalled(deadlineMilliseconds:)``, raised as an inbound
/// error), so a client that sends half a frame and stalls cannot hold a connection and its buffer.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ByteBuffer

    /// The largest payload accepted, in bytes.
    public let maxPayloadBytes: Int
    /// How long a frame may take from its first byte to its last; `nil` waits forever (the client side).
    public let frameDeadline: TimeAmount?
    /// Where a frame over ``FrameBudget/freeFrameBytes`` must find room before it is buffered.
    public let budget: (any FrameBudget)?
    private var pendingDeadline: Scheduled<Void>?
    /// Whether the frame now arriving already has its room in ``budget``.
    private var frameReserved = false

    /// Creates a decoder that refuses payloads larger than `maxPayloadBytes` and, with `frameDeadline`,
    /// frames that take longer than that to arrive.
    /// With a `budget`, a frame over its free size is refused (``FrameError/overBudget(declaredBytes:freeFrameBytes:)``)
    /// unless the budget has room for it; the room is the budget's to give back once the frame is answered.
    public init(
        maxPayloadBytes: Int = ProtocolConstants.maxPayloadBytes,
        frameDeadline: TimeAmount? = nil,
        budget: (any FrameBudget)? = nil
    ) {
        self.maxPayloadBytes = maxPayloadBytes
        self.frameDeadline = frameDeadline
        self.budget = budget
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            armDeadline(context: context, buffered: buffer.readableBytes)
            return .needMoreData
        }
        guard length <= maxPayloadBytes else {
            throw FrameError.oversized(declaredBytes: Int(length))
        }
        if let budget, Int(length) > budget.freeFrameBytes, !frameReserved {
            guard budget.reserve(frameBytes: Int(length)) else {
                throw FrameError.overBudget(declaredBytes: Int(length), freeFrameBytes: budget.freeFrameBytes)
            }
            frameReserved = true
        }
        let headerBytes = ProtocolConstants.lengthHeaderBytes
        guard let payload = buffer.getSlice(at: buffer.readerIndex + headerBytes, length: Int(length)) else {
            armDeadline(context: context, buffered: buffer.readableBytes)
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: headerBytes + Int(length))
        frameReserved = false
        disarmDeadline()
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
        disarmDeadline()
        return .needMoreData
    }

    public mutating func decoderRemoved(context: ChannelHandlerContext) {
        disarmDeadline()
    }

    /// Starts the clock on a frame whose first bytes are buffered, unless it is already running.
    private mutating func armDeadline(context: ChannelHandlerContext, buffered: Int) {
        guard let frameDeadline, buffered > 0, pendingDeadline == nil else { return }
        let stalled = FrameError.stalled(deadlineMilliseconds: frameDeadline.nanoseconds / 1_000_000)
        pendingDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: frameDeadline) {
            context.fireErrorCaught(stalled)
        }
    }

    private mutating func disarmDeadline() {
        pendingDeadline?.cancel()
        pendingDeadline = nil
    }
}
