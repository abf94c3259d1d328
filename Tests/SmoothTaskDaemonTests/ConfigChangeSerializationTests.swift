import SmoothTaskTestSupport
import Foundation
import Logging
import SmoothTaskCollectors
@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// Concurrent `config.set` calls through the real handler, state, file store and metrics endpoint:
/// each change must see the previous one's result, so the file, the running configuration and the
/// last accepted change agree, and exactly one metrics listener stays bound.
final class ConfigChangeSerializationTests: XCTestCase {
    func testConcurrentConfigSetsAreSerialized() async throws {
        var template = Array("/tmp/stser-XXXXXX".utf8CString)
        let directory = String(cString: try XCTUnwrap(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socketDirectory = MetricsSocketDirectory(path: "\(directory)/run")
        let logs = CapturedLogs()
        let logger = logs.logger()
        let endpoint = MetricsEndpoint(allowNonLoopback: false, socketDirectory: socketDirectory, logger: logger)
        let store = ConfigStore(path: "\(directory)/config.json")
        let state = DaemonState(
            collector: EbpfMetricsCollector(logger: logger),
            metricsEndpoint: endpoint, support: EbpfSupport(supported: false, reason: "test", remedy: nil, kernelRelease: ""),
            config: .defaults, store: store, logger: logger
        )
        let handler = DaemonRequestHandler(state: state, logger: logger)
        let endpoints = (0..<4).map { "\(socketDirectory.path)/m\($0).sock" }
        let calls = 48
        let replies = try await withThrowingTaskGroup(of: (Int, EbpfConfig).self) { group in
            for index in 0..<calls {
                group.addTask {
                    let params: [String: JSONValue] = [
                        "collection_interval_ms": .integer(Int64(1000 + index)),
                        // Most calls move the endpoint, the await inside a change that used to let others in.
                        "prometheus_listen": index % 5 == 4 ? .null : .string(endpoints[index % endpoints.count]),
                    ]
                    let request = RPCRequest(id: .integer(Int64(index)), method: "config.set", params: params)
                    let reply = try await handler.handle(.configSet, request: request, caller: PeerCredentials(pid: 1, uid: 0, gid: 0))
                    return (index, try XCTUnwrap(reply as? EbpfConfig))
                }
            }
            var replies: [Int: EbpfConfig] = [:]
            for try await (index, config) in group { replies[index] = config }
            return replies
        }
        XCTAssertEqual(replies.count, calls)
        let final = await state.config
        XCTAssertEqual(try store.load(), final, "file and running configuration disagree")
        // Changes are logged in the order they took effect: each before is the previous after.
        let changes = logs.records.filter { $0.message == "Configuration changed" }
        XCTAssertEqual(changes.count, calls)
        for (previous, next) in zip(changes, changes.dropFirst()) {
            XCTAssertEqual(next.metadata["config.before"], previous.metadata["config.after"])
        }
        // The last change to take effect is what is in force, and its caller got exactly that.
        let lastIndex = final.collectionIntervalMilliseconds - 1000
        XCTAssertEqual(changes.last?.metadata["config.after"], "\(final)")
        XCTAssertEqual(replies[lastIndex], final)
        // Each reply is its own request's change, applied whole.
        for (index, config) in replies {
            XCTAssertEqual(config.collectionIntervalMilliseconds, 1000 + index)
            XCTAssertEqual(config.prometheusListen, index % 5 == 4 ? nil : endpoints[index % endpoints.count])
        }
        // One listener, at the final address: every other socket was closed and removed.
        let listening = try listeningSockets(under: socketDirectory.path)
        print("\(calls) concurrent config.set: final interval \(final.collectionIntervalMilliseconds) ms, listeners \(listening)")
        XCTAssertEqual(listening, final.prometheusListen.map { [$0] } ?? [])
        for path in endpoints where path != final.prometheusListen {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), "\(path) left behind")
        }
        _ = try await state.apply(EbpfConfigPatch(prometheusListen: .some(nil)))
        XCTAssertEqual(try listeningSockets(under: socketDirectory.path), [])
    }

    /// Paths of listening Unix sockets bound under `directory`, from /proc/net/unix (which shows a
    /// listener's path even after its file was removed, so an orphan cannot hide).
    private func listeningSockets(under directory: String) throws -> [String] {
        // Read to the end: procfs reports size 0, and a one-shot read stops after the first page.
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/net/unix"))
        defer { try? handle.close() }
        let table = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        // Columns: Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 is __SO_ACCEPTCON (listening).
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 8, columns[3] == "00010000", columns[7].hasPrefix(directory + "/") else { return nil }
            return String(columns[7])
        }.sorted()
    }
}
