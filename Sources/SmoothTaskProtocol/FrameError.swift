/// A frame the decoder refuses: too large to buffer, or never completed.
public enum FrameError: Error, Sendable, Equatable {
    /// The header announced more than ``ProtocolConstants/maxPayloadBytes``.
    case oversized(declaredBytes: Int)
    /// A frame's first bytes arrived but the rest did not within the deadline, in milliseconds.
    case stalled(deadlineMilliseconds: Int64)
    /// The header announced a large frame that the server's ``FrameBudget`` has no room for now.
    case overBudget(declaredBytes: Int, freeFrameBytes: Int)
}

extension FrameError {
    /// The error the daemon sends (with id `null`) before closing the connection: `-32600`, or
    /// `-32003` when only the budget, not the frame, is at fault.
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
        case .overBudget(let declaredBytes, let freeFrameBytes):
            RPCError(
                .busy,
                "no room for a \(declaredBytes)-byte frame now: the daemon's memory for large requests is in use; "
                    + "retry later (requests up to \(freeFrameBytes) bytes are always accepted)"
            )
        }
    }
}
