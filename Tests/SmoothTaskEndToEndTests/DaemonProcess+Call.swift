import Foundation
import XCTest

extension DaemonProcess {
    /// Calls `method` with `params` on a connection of its own and returns the reply's `result`;
    /// fails the test with the reply when it is an error.
    func call(_ method: String, _ params: [String: Any] = [:]) throws -> [String: Any] {
        let connection = try RawConnection(path: socketPath)
        let request: [String: Any] = ["jsonrpc": "2.0", "id": 1, "method": method, "params": params]
        try connection.send(try JSONSerialization.data(withJSONObject: request))
        let reply = try XCTUnwrap(try connection.receive(), "\(method): the daemon closed the connection")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: reply) as? [String: Any])
        return try XCTUnwrap(object["result"] as? [String: Any], "\(method) \(params): \(object)")
    }

    /// Waits until the daemon has published a collection taken after this moment.
    func waitForNextCollection(timeout: TimeInterval = 15) throws {
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let stamp = ((try? call("metrics.get"))?["timestamp"] as? NSNumber)?.int64Value, stamp > start { return }
            usleep(50_000)
        }
        XCTFail("no collection within \(timeout) s")
    }
}
