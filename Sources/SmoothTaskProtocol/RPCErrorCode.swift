/// JSON-RPC 2.0 error codes, plus SmoothTask's own in the server range. Never reused for another meaning.
public enum RPCErrorCode: Int, Codable, Sendable, Equatable, CaseIterable {
    /// The payload is not valid UTF-8 JSON.
    case parseError = -32700
    /// Valid JSON but not a JSON-RPC 2.0 request object, or a frame over the size limit.
    case invalidRequest = -32600
    /// No such method.
    case methodNotFound = -32601
    /// The method exists but its params are wrong: type, range or unknown key.
    case invalidParams = -32602
    /// The daemon failed; the request may be retried.
    case internalError = -32603
    /// The caller may not use this method (privileged methods need uid 0 or the admin group).
    case permissionDenied = -32001
    /// What was asked cannot be measured or done on this system right now; the message says why.
    case unavailable = -32002
    /// The daemon is serving its maximum number of connections; retry later.
    case busy = -32003

    /// The name carried in the error's `data.name`, e.g. `InvalidParameter`.
    public var name: String {
        switch self {
        case .parseError: "ParseError"
        case .invalidRequest: "InvalidRequest"
        case .methodNotFound: "MethodNotFound"
        case .invalidParams: "InvalidParameter"
        case .internalError: "InternalError"
        case .permissionDenied: "PermissionDenied"
        case .unavailable: "Unavailable"
        case .busy: "Busy"
        }
    }
}
