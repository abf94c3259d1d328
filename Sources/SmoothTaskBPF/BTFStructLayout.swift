/// A struct as the BTF of a compiled BPF object describes it: what the kernel side of a map holds.
public struct BTFStructLayout: Sendable, Equatable {
    /// The struct's size in bytes.
    public var size: Int
    /// Each member's byte offset, by name.
    public var memberOffsets: [String: Int]

    /// Creates a layout from its size and member offsets.
    public init(size: Int, memberOffsets: [String: Int]) {
        self.size = size
        self.memberOffsets = memberOffsets
    }
}
