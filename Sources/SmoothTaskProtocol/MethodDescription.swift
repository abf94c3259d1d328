/// One entry of `rpc.discover`'s method list.
public struct MethodDescription: Codable, Sendable, Equatable {
    /// The method name, e.g. `config.set`.
    public var name: String
    /// True when only root and the admin group may call it.
    public var privileged: Bool

    /// Creates an entry.
    public init(name: String, privileged: Bool) {
        self.name = name
        self.privileged = privileged
    }
}
