import SmoothTaskModel
import SmoothTaskProtocol

/// Why a `config.set` changed nothing: a value out of range, or the new file could not be written.
public enum ConfigChangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A value is out of range or of the wrong type.
    case invalid(ConfigValidationError)
    /// The change is valid but could not be persisted, so it was not applied either: a setting
    /// that would silently revert at the next restart is worse than a refusal.
    case notSaved(ConfigFileError)

    public var description: String {
        switch self {
        case .invalid(let error): error.message
        case .notSaved(let error): error.description
        }
    }

    /// The protocol error for the caller: `-32602` naming the key, or `-32603` for a failed write.
    var rpcError: RPCError {
        switch self {
        case .invalid(let error): RPCError(.invalidParams, error.message, parameter: error.field)
        case .notSaved(let error): RPCError(.internalError, error.description)
        }
    }
}
