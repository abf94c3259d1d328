/// The structured part of an error: its name and, for bad params, the parameter at fault.
public struct RPCErrorData: Codable, Sendable, Equatable {
    /// A stable name for the error, e.g. `InvalidParameter`.
    public var name: String
    /// The param at fault, e.g. `collection_interval_ms`, when one is.
    public var parameter: String?

    /// Creates error data.
    public init(name: String, parameter: String? = nil) {
        self.name = name
        self.parameter = parameter
    }
}
