/// The params of methods that take none: `{}`.
public struct EmptyParams: Codable, Sendable, Equatable {
    /// Creates `{}`.
    public init() {}
}
