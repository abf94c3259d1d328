import Foundation
import XCTest

/// python3 and the scripts in protocol/, for the tests that check the daemon with an independent client.
enum PythonTools {
    static let protocolDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("protocol")
    /// The python3 first on PATH, as `make deps` checks it.
    private static let env = URL(fileURLWithPath: "/usr/bin/env")

    /// Skips unless python3 (and, with `needsJSONSchema`, its jsonschema module) is installed.
    static func require(needsJSONSchema: Bool = false) throws {
        guard (try? CommandResult.run(env, ["python3", "--version"]).status) == 0 else {
            throw XCTSkip("needs python3 on PATH (make deps installs it)")
        }
        if needsJSONSchema, try CommandResult.run(env, ["python3", "-c", "import jsonschema"]).status != 0 {
            throw XCTSkip("needs python3's jsonschema module (make deps installs python3-jsonschema)")
        }
    }

    /// Runs `protocol/<script>` with `arguments`.
    static func run(_ script: String, _ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(env, ["python3", protocolDirectory.appendingPathComponent(script).path] + arguments)
    }
}
