/// A frame the decoder refuses: too large to buffer, or never completed.
public enum FrameError: Error, Sendable, Equatable {
    /// The header announced more than ``ProtocolConstants/maxPayloadBytes``.
    case oversized(declaredBytes: Int)
    /// A frame's first bytes arrived but the rest did not within the deadline, in milliseconds.
    case stalled(deadlineMilliseconds: Int64)
}

extension FrameError {
    /// The `-32600` error the daemon sends (with id `null`) before closing the connection.
    public var rpcError: RPCError {
        switch self {
        case .oversized(let declaredBytes):
            RPCError(
                .invalidRequest,
                "frame of \(declaredBytes) bytes exceeds the \(ProtocolConstants.maxPayloadBytes)-byte limit"
            )
        case .stalled(let deadlineMilliseconds):
            RPCError(
                .invalidRequest,
                "frame incomplete \(deadlineMilliseconds) ms after its first byte; send each frame whole"
            )
        }
    }
}
