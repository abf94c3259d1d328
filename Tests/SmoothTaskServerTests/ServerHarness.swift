import SmoothTaskTestSupport
import Logging
import NIOCore
import ServiceLifecycle
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// Runs a real ``SocketServer`` in a ``ServiceGroup`` for the length of a test body.
struct ServerHarness: Sendable {
    let directory: TemporaryDirectory
    let handler: TestHandler
    let logs: CapturedLogs
    let authorizer: Authorizer
    let limits: ServerLimits

    var socketPath: String { directory.file("smoothtask.sock") }

    init(authorizer: Authorizer = Authorizer(), limits: ServerLimits = ServerLimits(), readyMetrics: ByteBuffer? = nil) throws {
        self.limits = limits
        directory = try TemporaryDirectory()
        handler = TestHandler(readyMetrics: readyMetrics)
        logs = CapturedLogs()
        self.authorizer = authorizer
    }

    func bind(at path: String? = nil) async throws -> SocketServer {
        try await SocketServer.bind(
            socketPath: path ?? socketPath,
            handler: handler,
            authorizer: authorizer,
            limits: limits,
            logger: logs.logger()
        )
    }

    /// Binds, serves while `body` runs (with the group, to trigger shutdown early), then shuts down
    /// gracefully and waits for the server to return.
    func serve<Result: Sendable>(
        _ server: SocketServer? = nil,
        _ body: @Sendable @escaping (ServiceGroup) async throws -> Result
    ) async throws -> Result {
        let server = if let server { server } else { try await bind() }
        let group = ServiceGroup(services: [server], logger: logs.logger())
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result
            do {
                result = try await withTimeout { try await body(group) }
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

struct TimedOut: Error {}

/// Fails the test instead of hanging when `body` takes longer than `seconds`.
func withTimeout<Result: Sendable>(
    seconds: Double = 20,
    _ body: @Sendable @escaping () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let result = try await group.next(), let result else { throw TimedOut() }
        return result
    }
}
