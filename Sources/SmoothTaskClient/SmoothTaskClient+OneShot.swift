#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskProtocol

extension SmoothTaskClient {
    /// Connects to `socketPath`, calls `method` with `params`, reads the one reply and disconnects,
    /// all on the calling thread with blocking system calls.
    ///
    /// For a process that makes a single call and exits (`smoothtaskctl status`): it starts no event
    /// loop and no threads, which cost a one-call command more than the call itself (an
    /// event-loop thread, a channel pipeline and their generic types set up on first use). The
    /// frames and errors are those of ``connect(socketPath:)`` and ``call(_:params:as:)``.
    ///
    /// - Throws: ``ClientError`` when the daemon cannot be reached or its reply cannot be read;
    ///   ``RPCError`` when the daemon replied with an error; an `EncodingError` for `params`.
    public static func callOnce<Result: Decodable & Sendable>(
        socketPath: String = ProtocolConstants.defaultSocketPath,
        _ method: Method,
        params: some Encodable & Sendable = EmptyParams(),
        as resultType: Result.Type = Result.self
    ) throws -> Result {
        // The id of the only request on the connection, as ``call(_:params:as:)`` numbers its first.
        let id = 1
        let request = try RPCCoding.encoder.encode(RPCOutgoingRequest(id: id, method: method, params: params))
        let connection = try BlockingConnection(path: socketPath)
        var frame = [UInt8]()
        frame.reserveCapacity(ProtocolConstants.lengthHeaderBytes + request.count)
        withUnsafeBytes(of: UInt32(request.count).bigEndian) { frame.append(contentsOf: $0) }
        frame.append(contentsOf: request)
        try connection.sendAll(frame)
        let length = try connection.receive(count: ProtocolConstants.lengthHeaderBytes).reduce(0) { $0 << 8 | Int($1) }
        guard length <= ProtocolConstants.maxPayloadBytes else { throw ClientError.oversizedReply(declaredBytes: length) }
        return try result(of: Data(try connection.receive(count: length)), id: id, method: method)
    }
}
