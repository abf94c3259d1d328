import Foundation
import XCTest

/// `Tests/Tools/hostile_clients.py` run as `nobody` (setpriv, no groups) with a raised open-file
/// limit (prlimit): it attacks, prints one JSON summary line, and holds its connections until
/// ``release()``.
final class HostileClients {
    /// Descriptors the attacker may open: more than any test asks of it.
    static let attackerDescriptors = 8192

    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    /// The attack's summary line, decoded.
    let summary: [String: Any]

    /// Starts `hostile_clients.py arguments...` as nobody and waits for its summary.
    init(_ arguments: [String]) throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to attack as nobody: run the suite as root") }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = [
            "--nofile=\(Self.attackerDescriptors):\(Self.attackerDescriptors)", "--",
            "/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
            "/usr/bin/python3", try NobodyReadableTool.path("hostile_clients.py"),
        ] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        let reader = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        let object = try? JSONSerialization.jsonObject(with: line)
        summary = try XCTUnwrap(object as? [String: Any], "no summary from hostile_clients.py: \(String(decoding: line, as: UTF8.self))")
    }

    /// Closes every connection it holds and waits for it to exit.
    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit { release() }
}
