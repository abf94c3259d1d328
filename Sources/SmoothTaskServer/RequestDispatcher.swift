import Logging
import NIOCore
import SmoothTaskProtocol

/// Turns one frame's payload into the reply to send: parse, method lookup, authorization, handler.
///
/// Kept apart from the socket code so each step's error mapping is in one place.
struct RequestDispatcher: Sendable {
    /// The daemon's methods.
    let handler: any RequestHandler
    /// The gate for privileged methods.
    let authorizer: Authorizer
    /// The audit log of privileged calls, bounded in size and rate.
    var audit = PrivilegedCallAudit()

    /// The message of `-32601`, listing what exists.
    static let knownMethods = Method.allCases.map(\.rawValue).joined(separator: ", ")

    /// The reply to `payload`: its JSON, absent for a notification (a request without `id`), which
    /// never gets a reply, not even an error; and the subscription it starts or ends, if any.
    func reply(to payload: ByteBuffer, caller: PeerCredentials, logger: Logger) async -> DispatchedReply {
        let request: RPCRequest
        do {
            request = try RPCRequestParser.parse(payload.readableBytesView)
        } catch {
            logger.debug(
                "Request rejected",
                metadata: ["rpc.error.code": "\(error.error.code)", "rpc.error.message": "\(error.error.message)"]
            )
            return DispatchedReply(frame: Array(error.response.encoded()))
        }
        let outcome = await outcome(of: request, caller: caller, logger: logger)
        let subscription = try? outcome.get() as? Subscription
        guard let id = request.id else { return DispatchedReply(frame: nil, subscription: subscription) }
        switch outcome {
        case .success(let result):
            return DispatchedReply(frame: Array(RPCResponse(id: id, result: result).encoded()), subscription: subscription)
        case .failure(let error):
            return DispatchedReply(frame: Array(RPCResponse(id: id, error: error).encoded()))
        }
    }

    private func outcome(
        of request: RPCRequest,
        caller: PeerCredentials,
        logger: Logger
    ) async -> Result<any Encodable & Sendable, RPCError> {
        guard let method = Method(rawValue: request.method) else {
            return .failure(RPCError(
                .methodNotFound,
                "unknown method '\(request.method)'; known methods: \(Self.knownMethods)"
            ))
        }
        if method.isPrivileged {
            let params = request.paramsJSON
            do {
                try authorizer.authorize(method, caller: caller)
                audit.accepted(method, params: params, caller: caller, logger: logger)
            } catch {
                audit.refused(method, params: params, reason: error.message, caller: caller, logger: logger)
                return .failure(error)
            }
        }
        do {
            return .success(try await handler.handle(method, request: request, caller: caller))
        } catch {
            return .failure(error)
        }
    }
}
