import Dispatch
import Logging
import NIOCore
import NIOEmbedded
import SmoothTaskModel
import SmoothTaskProtocol
@testable import SmoothTaskServer
import Synchronization

/// Plays one input as one client connection through the server's own request path: the bytes go
/// through ``FrameDecoder`` (with the server's deadline and a ``ConnectionBudget`` on the shared
/// ``InputBudget``) in an `EmbeddedChannel`, each frame through ``RequestDispatcher`` (parser,
/// method lookup, ``Authorizer``, handler), and each reply through ``ReplyCheck``.
///
/// Besides crashes and leaks it stops on: a malformed reply, a reply to a notification, a
/// configuration changed by anyone but root, and input-budget room still held after the connection
/// closed.
struct FuzzHarness: Sendable {
    /// May call everything.
    static let root = PeerCredentials(pid: 1, uid: 0, gid: 0)
    /// Any local user; outside the admin group, which does not exist here.
    static let nobody = PeerCredentials(pid: 2, uid: 65534, gid: 65534)

    private let handler = FuzzRequestHandler()
    private let dispatcher: RequestDispatcher
    private let limits = ServerLimits()
    private let inputBudget: InputBudget
    private let logger = Logger(label: "smoothtask.fuzz") { _ in DiscardingLogHandler() }

    init() {
        // No such group: only root's privileged calls get through, so every change is attributable.
        dispatcher = RequestDispatcher(handler: handler, authorizer: Authorizer(adminGroup: "smoothtask-fuzz-no-such-group"))
        inputBudget = InputBudget(totalBytes: limits.largeFrameBudgetBytes, perUserBytes: limits.largeFrameBudgetPerUserBytes)
    }

    /// Sends `input` on a new connection, answers every frame in it, then hangs up.
    func connect(sending input: [UInt8]) {
        let plan = ConnectionPlan(input)
        let budget = ConnectionBudget(shared: inputBudget, uid: plan.caller.uid)
        // Decoding stays on this thread: an EmbeddedChannel belongs to the thread that made it.
        let channel = EmbeddedChannel()
        channel.closeFuture.whenComplete { _ in budget.releaseAll() }
        let decoder = FrameDecoder(frameDeadline: TimeAmount(limits.frameDeadline), budget: budget)
        try! channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(decoder))
        for read in plan.reads(of: input) {
            var refused: FrameError?
            do {
                try channel.writeInbound(ByteBuffer(bytes: read))
            } catch let error as FrameError {
                refused = error
            } catch {
                fatalError("the frame decoder threw \(error), not a FrameError")
            }
            // Frames decoded before a refusal are answered first, as the server's request loop does.
            while let payload = try! channel.readInbound(as: ByteBuffer.self) {
                answer(payload, caller: plan.caller)
                budget.answered(frameBytes: payload.readableBytes)
            }
            if let refused {
                // The server's last word before it closes the connection.
                ReplyCheck.check(Array(RPCResponse(id: .null, error: refused.rpcError).encoded()), answering: nil)
                break
            }
        }
        _ = try? channel.finish()
        let held = inputBudget.charged
        precondition(held == 0, "a closed connection left \(held) bytes of the input budget charged")
    }

    /// Dispatches one frame's payload as `caller` and checks the reply and the configuration.
    private func answer(_ payload: ByteBuffer, caller: PeerCredentials) {
        let before = handler.config.withLock { $0 }
        let reply = waitFor { [dispatcher, logger] in await dispatcher.reply(to: payload, caller: caller, logger: logger) }
        let after = handler.config.withLock { $0 }
        if caller != Self.root {
            precondition(before == after, "an unprivileged caller changed the configuration with \(Self.text(payload))")
        }
        guard let frame = reply.frame else {
            let request = try? RPCRequestParser.parse(payload.readableBytesView)
            precondition(request != nil && request?.id == nil, "no reply to a request with an id: \(Self.text(payload))")
            return
        }
        if ReplyCheck.check(frame, answering: payload) != nil {
            precondition(before == after, "a refused request changed the configuration: \(Self.text(payload))")
        }
    }

    /// Runs `body` on the concurrency pool and blocks this (libFuzzer's) thread until it is done.
    private func waitFor<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
        let result = Mutex<Result?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    private static func text(_ payload: ByteBuffer) -> String {
        String(decoding: payload.readableBytesView.prefix(200), as: UTF8.self)
    }
}
