import SmoothTaskExposition
import XCTest

final class ExpositionFormatTests: XCTestCase {
    func testNegotiationFollowsAcceptQualities() {
        XCTAssertEqual(ExpositionFormat.negotiate(accept: nil), .prometheus)
        XCTAssertEqual(ExpositionFormat.negotiate(accept: "text/plain"), .prometheus)
        XCTAssertEqual(ExpositionFormat.negotiate(accept: "application/openmetrics-text; version=1.0.0"), .openMetrics)
        // What Prometheus 2.x sends: OpenMetrics preferred, text as fallback.
        XCTAssertEqual(
            ExpositionFormat.negotiate(
                accept: "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
            ),
            .openMetrics
        )
        XCTAssertEqual(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=0.2, text/plain"), .prometheus)
        XCTAssertEqual(ExpositionFormat.negotiate(accept: "application/json"), .prometheus)
    }
}
