import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskClient
import SmoothTaskProtocol

/// One request to the daemon with the CLI's error handling: one line on stderr and a meaningful exit code.
enum DaemonCall {
    /// Exit codes from sysexits.h, so scripts can tell a refused request from an absent daemon.
    enum Exit {
        static let refused: Int32 = 1
        /// Bad usage (EX_USAGE), as argument-parser exits for a rejected option or argument.
        static let usage: Int32 = 64
        static let unavailable: Int32 = 69
        static let permissionDenied: Int32 = 77
    }

    /// Calls `method` and prints the raw JSON result with `--json` (only its `member`, if given; a
    /// missing member as `{"<member>": null, "reason": "..."}` from the reply's `unavailable`), or
    /// hands the typed result to `render`.
    static func run<Result: Decodable & Sendable>(
        _ method: SmoothTaskProtocol.Method,
        params: some Encodable & Sendable = EmptyParams(),
        options: ConnectionOptions,
        as type: Result.Type,
        member: String? = nil,
        render: (Result) -> String
    ) throws {
        if options.json {
            var raw = try call(method, params: params, options: options, as: JSONValue.self)
            if let member, case .object(let members) = raw {
                raw = members[member] ?? .null
                // A bare `null` tells a script nothing: say why, as `unavailable` does for the whole reply.
                if raw == .null {
                    var reason = JSONValue.string("not reported by this daemon")
                    if case .object(let unavailable)? = members["unavailable"], let why = unavailable[member] { reason = why }
                    raw = .object([member: .null, "reason": reason])
                }
            }
            print(String(decoding: try prettyEncoder.encode(raw), as: UTF8.self))
        } else {
            print(render(try call(method, params: params, options: options, as: type)))
        }
    }

    static func call<Result: Decodable & Sendable>(
        _ method: SmoothTaskProtocol.Method,
        params: some Encodable & Sendable,
        options: ConnectionOptions,
        as type: Result.Type,
        namingCode: Bool = false
    ) throws -> Result {
        do {
            // One call, then the process exits: no event loop (see callOnce).
            return try SmoothTaskClient.callOnce(socketPath: options.socket, method, params: params, as: type)
        } catch let error as ClientError {
            fail("\(error)", code: Exit.unavailable)
        } catch let error as RPCError {
            // `call` is for scripts, which branch on the JSON-RPC code as much as on the exit status.
            let code = namingCode ? " (JSON-RPC error \(error.code)\(error.data.map { " \($0.name)" } ?? ""))" : ""
            fail("\(method.rawValue): \(error.message)\(code)", code: error.knownCode == .permissionDenied ? Exit.permissionDenied : Exit.refused)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        StandardStream.error.write("smoothtaskctl: \(message)\n")
        exit(code)
    }

    /// The encoder of every `--json` output: indented, keys sorted, slashes as they are.
    static var prettyEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
