import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SmoothTaskProtocol

extension SmoothTaskControl {
    /// `smoothtaskctl call METHOD [JSON]`: any protocol method with raw params, its result printed as
    /// JSON, for scripts that need a method or a parameter the other commands do not offer.
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "call",
            abstract: "Call any protocol method and print its JSON result, for scripts.",
            discussion: """
                METHOD is one of \(SmoothTaskProtocol.Method.allCases.map(\.rawValue).joined(separator: ", ")) \
                (protocol/PROTOCOL.md describes each). PARAMS is the request's params as one JSON \
                object (default {}). The result goes to standard output as indented JSON; an error \
                reply prints its message and JSON-RPC code on standard error and exits 1 (77 when \
                permission is denied); malformed PARAMS or an unknown METHOD exit 64 before connecting.

                Examples:
                  smoothtaskctl call status | jq .metrics.cpu_usage
                  smoothtaskctl call processes.top '{"sort":"syscalls","limit":3}'
                  smoothtaskctl call cgroups.top '{"by":"unit","limit":5}'
                  smoothtaskctl call config.set '{"collection_interval_ms":500}'
                  smoothtaskctl call rpc.discover | jq -r '.methods[].name'
                """
        )

        @Argument(
            help: ArgumentHelp("The method, e.g. processes.top.", valueName: "method"),
            completion: .list(SmoothTaskProtocol.Method.allCases.map(\.rawValue))
        )
        var method: String

        @Argument(help: ArgumentHelp("The params as a JSON object (default {}).", valueName: "json"))
        var params: String?

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            _ = try knownMethod()
            _ = try parsedParams()
        }

        func run() async throws {
            let method = try knownMethod()
            let result: JSONValue = if let params = try parsedParams() {
                try DaemonCall.call(method, params: params, options: connection, as: JSONValue.self, namingCode: true)
            } else {
                try DaemonCall.call(method, params: EmptyParams(), options: connection, as: JSONValue.self, namingCode: true)
            }
            print(String(decoding: try DaemonCall.prettyEncoder.encode(result), as: UTF8.self))
        }

        private func knownMethod() throws -> SmoothTaskProtocol.Method {
            guard let known = SmoothTaskProtocol.Method(rawValue: method) else {
                throw ValidationError(
                    "unknown method '\(method)'; methods: \(SmoothTaskProtocol.Method.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return known
        }

        /// The params as JSON, `nil` when none were given; only an object is taken, as every method's params are one.
        private func parsedParams() throws -> JSONValue? {
            guard let params else { return nil }
            let value: JSONValue
            do {
                value = try JSONDecoder().decode(JSONValue.self, from: Data(params.utf8))
            } catch {
                throw ValidationError("params are not valid JSON: \(params) (write an object such as '{\"limit\":5}')")
            }
            guard case .object = value else {
                throw ValidationError("params must be a JSON object such as '{\"limit\":5}' (got \(params))")
            }
            return value
        }
    }
}
