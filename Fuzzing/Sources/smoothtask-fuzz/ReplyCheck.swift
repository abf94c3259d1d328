import Foundation
import NIOCore
import SmoothTaskProtocol

/// What every reply frame must be, checked with Foundation's `JSONSerialization` rather than the
/// project's own JSON code so the check does not share the code under test. A violation stops the
/// fuzzer like a crash, with the input saved.
enum ReplyCheck {
    /// Every error code the protocol defines.
    static let knownCodes = Set(RPCErrorCode.allCases.map(\.rawValue))

    /// Checks that `frame` is one JSON-RPC 2.0 reply object with an id and exactly one of `result`
    /// and `error`, the error's code one the protocol defines; returns that code, `nil` for a result.
    @discardableResult
    static func check(_ frame: [UInt8], answering payload: ByteBuffer?) -> Int? {
        let context = payload.map { String(decoding: $0.readableBytesView.prefix(200), as: UTF8.self) } ?? "a refused frame"
        // Ids are echoed exactly; one too large for a Double (1e400) is set aside for JSONSerialization.
        var readable = frame
        if let id = RawRequestID.numberRange(in: frame) { readable.replaceSubrange(id, with: Array("0".utf8)) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(readable)) as? [String: Any] else {
            fatalError("reply is not a JSON object: \(String(decoding: frame.prefix(300), as: UTF8.self)), answering \(context)")
        }
        precondition(object["jsonrpc"] as? String == "2.0", "reply without jsonrpc 2.0, answering \(context)")
        precondition(object.keys.contains("id"), "reply without id, answering \(context)")
        precondition((object["result"] == nil) != (object["error"] == nil), "reply needs exactly one of result and error, answering \(context)")
        guard let error = object["error"] else { return nil }
        guard let error = error as? [String: Any], let code = error["code"] as? Int, knownCodes.contains(code),
              error["message"] is String
        else {
            fatalError("malformed error \(String(decoding: frame.prefix(300), as: UTF8.self)), answering \(context)")
        }
        return code
    }
}
