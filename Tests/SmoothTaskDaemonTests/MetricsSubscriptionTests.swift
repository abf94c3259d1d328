@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// Fan-out of collections to subscribers and their pacing.
final class MetricsSubscriptionTests: XCTestCase {
    private func metrics(at timestamp: Int64, window: Int64 = 1000) -> EbpfMetrics {
        EbpfMetrics(cpuUsage: 1, memoryUsage: 2, timestamp: timestamp, windowMilliseconds: window)
    }

    func testPacingToleratesJitterOfHalfAWindow() {
        XCTAssertTrue(MetricsSubscription.isDue(metrics(at: 1999), lastSent: 1000, intervalMilliseconds: 1000))
        XCTAssertFalse(MetricsSubscription.isDue(metrics(at: 2000), lastSent: 1000, intervalMilliseconds: 2000))
        XCTAssertTrue(MetricsSubscription.isDue(metrics(at: 3000), lastSent: 1000, intervalMilliseconds: 2000))
        XCTAssertTrue(MetricsSubscription.isDue(metrics(at: 1010, window: 10), lastSent: 1000, intervalMilliseconds: 0))
    }

    func testSubscriberGetsOnlyItsGroupsAndUnsubscribesWhenCancelled() async throws {
        let broadcaster = MetricsBroadcaster()
        let settings = try SubscribeParams(groups: [.memory]).validated()
        let notifications = MetricsSubscription.notifications(
            from: broadcaster.subscribe(for: PeerCredentials(pid: 1, uid: 0, gid: 0)),
            settings: settings
        )
        XCTAssertEqual(broadcaster.subscriberCount, 1)
        let (received, receive) = AsyncStream.makeStream(of: String.self)
        // Like the server's forwarding task: reads until cancelled.
        let reader = Task {
            for await notification in notifications {
                receive.yield(notification.encoded().map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
        }
        broadcaster.publish(metrics(at: 1000))
        var texts = received.makeAsyncIterator()
        let first = await texts.next()
        let text = try XCTUnwrap(first)
        XCTAssertTrue(text.contains(#""method":"metrics.update""#), text)
        XCTAssertTrue(text.contains(#""memory_usage":2"#), text)
        XCTAssertFalse(text.contains("cpu_usage"), "cpu was not subscribed: \(text)")
        reader.cancel()
        for _ in 0..<500 where broadcaster.subscriberCount > 0 {
            try await Task.sleep(for: .milliseconds(2))
        }
        XCTAssertEqual(broadcaster.subscriberCount, 0, "the reader was cancelled, so the subscription ended")
    }

    func testFinishEndsEverySubscriberAndLaterOnesAtOnce() async {
        let broadcaster = MetricsBroadcaster()
        let root = PeerCredentials(pid: 1, uid: 0, gid: 0)
        let early = broadcaster.subscribe(for: root)
        broadcaster.finish()
        for await _ in early { XCTFail("nothing was published") }
        for await _ in broadcaster.subscribe(for: root) { XCTFail("subscribed after finish") }
        XCTAssertEqual(broadcaster.subscriberCount, 0)
    }
}
