/// A JSON-RPC error object, as sent in a reply's `error` member.
public struct RPCError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// The numeric code; see ``RPCErrorCode``.
    public var code: Int
    /// One sentence saying what went wrong and, where it helps, what to do.
    public var message: String
    /// The error's name and the parameter at fault.
    public var data: RPCErrorData?

    /// Creates an error with a known code; `data.name` follows the code.
    public init(_ code: RPCErrorCode, _ message: String, parameter: String? = nil) {
        self.code = code.rawValue
        self.message = message
        self.data = RPCErrorData(name: code.name, parameter: parameter)
    }

    /// The known code, or `nil` for a code this build does not know (a newer daemon).
    public var knownCode: RPCErrorCode? { RPCErrorCode(rawValue: code) }

    public var description: String { message }
}
