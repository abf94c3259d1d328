import Logging
import SmoothTaskCollectors
@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskServer
import XCTest

/// The JSON the event loops answer a plain `metrics.get` from, collection by collection.
final class ReadyMetricsTests: XCTestCase {
    /// Root sees every process, so its requests may be answered from the ready bytes.
    private let root = Viewer(caller: PeerCredentials(pid: 1, uid: 0, gid: 0), rules: ProcVisibility(hidesOtherUsers: false, exemptGID: nil))

    private func makeState() -> DaemonState {
        let logger = Logger(label: "ready-metrics-test")
        return DaemonState(
            collector: EbpfMetricsCollector(logger: logger), metricsEndpoint: nil,
            support: EbpfSupport(supported: false, reason: "test", remedy: nil, kernelRelease: ""),
            config: .defaults, logger: logger
        )
    }

    /// Nobody asked: a collection is not encoded, and nothing is ready until a request encodes it.
    func testAnUnaskedCollectionIsNotEncoded() async throws {
        let state = makeState()
        await state.collect()
        XCTAssertNil(state.readyMetrics(for: root))
        _ = try await state.encodedMetrics(for: root)
        XCTAssertNotNil(state.readyMetrics(for: root))
    }

    /// Once a collection was asked for, the next one is ready the moment it is the latest: polling
    /// clients never fall back to the actor path after a collection.
    func testAPolledCollectionIsReadyWhenItLands() async throws {
        let state = makeState()
        await state.collect()
        _ = try await state.encodedMetrics(for: root)
        await state.collect()
        let ready = try XCTUnwrap(state.readyMetrics(for: root), "nothing ready after a polled collection").value
        let latest = try await state.encodedMetrics(for: root)
        XCTAssertEqual(Array(ready.readableBytesView), Array(try XCTUnwrap(latest).value.json), "ready bytes are not the latest collection's")
    }
}
