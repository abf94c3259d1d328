@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskServer
import XCTest

/// The JSON the event loops answer a plain `metrics.get` from, collection by collection.
final class ReadyMetricsTests: XCTestCase {
    /// Nobody asked: a collection is not encoded, and nothing is ready until a request encodes it.
    func testAnUnaskedCollectionIsNotEncoded() async throws {
        let state = DaemonState.procfsOnly(label: "ready-metrics-test")
        await state.collect()
        XCTAssertNil(state.readyMetrics(for: .root))
        _ = try await state.encodedMetrics(for: .root)
        XCTAssertNotNil(state.readyMetrics(for: .root))
    }

    /// Once a collection was asked for, the next one is ready the moment it is the latest: polling
    /// clients never fall back to the actor path after a collection.
    func testAPolledCollectionIsReadyWhenItLands() async throws {
        let state = DaemonState.procfsOnly(label: "ready-metrics-test")
        await state.collect()
        _ = try await state.encodedMetrics(for: .root)
        await state.collect()
        let ready = try XCTUnwrap(state.readyMetrics(for: .root), "nothing ready after a polled collection").value
        let latest = try await state.encodedMetrics(for: .root)
        XCTAssertEqual(Array(ready.readableBytesView), Array(try XCTUnwrap(latest).value.json), "ready bytes are not the latest collection's")
    }
}
