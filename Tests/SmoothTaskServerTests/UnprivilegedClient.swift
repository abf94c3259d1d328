import Foundation
import XCTest

/// Runs a tiny Python client as `nobody:nogroup` with no supplementary groups (setpriv(1)), so the
/// server sees a real unprivileged peer through SO_PEERCRED.
enum UnprivilegedClient {
    static let setpriv = "/usr/bin/setpriv"
    static let python = "/usr/bin/python3"

    /// Sends each request as a frame on one connection and returns the replies' JSON texts, plus the
    /// child's pid (setpriv execs python, so it is the peer's pid).
    static func run(socketPath: String, requests: [String]) async throws -> (replies: [String], pid: Int32) {
        guard getuid() == 0 else { throw XCTSkip("needs root to switch to nobody: run the suite as root") }
        for tool in [setpriv, python] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("needs \(tool)")
        }
        let script = #"""
            import json, socket, struct, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            def read_exactly(n):
                data = b""
                while len(data) < n:
                    chunk = s.recv(n - len(data))
                    if not chunk:
                        raise SystemExit("connection closed")
                    data += chunk
                return data
            replies = []
            for request in sys.argv[2:]:
                payload = request.encode()
                s.sendall(struct.pack(">I", len(payload)) + payload)
                (length,) = struct.unpack(">I", read_exactly(4))
                replies.append(read_exactly(length).decode())
            print(json.dumps(replies))
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments = [
            "--reuid=nobody", "--regid=nogroup", "--clear-groups", python, "-c", script, socketPath,
        ] + requests
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume()
            }
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            XCTFail("unprivileged client failed (\(process.terminationStatus)): \(stderr)")
            return ([], process.processIdentifier)
        }
        return (try JSONDecoder().decode([String].self, from: stdout), process.processIdentifier)
    }
}
