/// A frame the decoder refuses before buffering its payload.
public enum FrameError: Error, Sendable, Equatable {
    /// The header announced more than ``ProtocolConstants/maxPayloadBytes``.
    case oversized(declaredBytes: Int)
}
