/// Room for large frames, asked for by ``FrameDecoder`` when a header announces one and before any of
/// its payload is buffered. The server implements it per connection; clients decode without one.
public protocol FrameBudget: Sendable {
    /// Frames up to this many bytes need no room.
    var freeFrameBytes: Int { get }
    /// Takes room for a frame of `frameBytes` and returns true, or returns false (taking nothing)
    /// when there is none now. The owner gives the room back when the frame has been answered.
    func reserve(frameBytes: Int) -> Bool
}
