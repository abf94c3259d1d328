import SmoothTaskExposition
import XCTest

final class ExpositionEncoderTests: XCTestCase {
    private let families = [
        MetricFamily(name: "t_requests", help: "Requests \"served\"\nso far.", type: .counter,
                     samples: [MetricSample(3, labels: [MetricLabel("path", "a\"b\\c\nd")])]),
        MetricFamily(name: "t_used_bytes", help: "Used.", type: .gauge, unit: "bytes", samples: [MetricSample(1536)]),
        MetricFamily(name: "t_wait_seconds", help: "Wait.", type: .histogram, unit: "seconds", samples: [
            MetricSample(HistogramSnapshot(upperBounds: [0.5, 1], cumulativeCounts: [1, 2], count: 3, sum: 2.25)),
        ]),
        MetricFamily(name: "t_absent", help: "No samples: left out.", type: .gauge, samples: []),
    ]

    func testPrometheusTextDeclaresCountersWithTotalAndHasNoUnitOrEOF() {
        XCTAssertEqual(ExpositionEncoder.encode(families, as: .prometheus), """
            # HELP t_requests_total Requests "served"\\nso far.
            # TYPE t_requests_total counter
            t_requests_total{path="a\\"b\\\\c\\nd"} 3.0
            # HELP t_used_bytes Used.
            # TYPE t_used_bytes gauge
            t_used_bytes 1536.0
            # HELP t_wait_seconds Wait.
            # TYPE t_wait_seconds histogram
            t_wait_seconds_bucket{le="0.5"} 1
            t_wait_seconds_bucket{le="1.0"} 2
            t_wait_seconds_bucket{le="+Inf"} 3
            t_wait_seconds_count 3
            t_wait_seconds_sum 2.25

            """)
    }

    func testOpenMetricsNamesFamiliesWithoutTotalAndWritesUnitsAndEOF() {
        let text = ExpositionEncoder.encode(families, as: .openMetrics)
        XCTAssertTrue(text.hasPrefix("# HELP t_requests Requests \\\"served\\\"\\nso far.\n# TYPE t_requests counter\n"), text)
        XCTAssertTrue(text.contains("# TYPE t_used_bytes gauge\n# UNIT t_used_bytes bytes\n"), text)
        XCTAssertTrue(text.contains("t_requests_total{path="), text)
        XCTAssertTrue(text.hasSuffix("t_wait_seconds_sum 2.25\n# EOF\n"), text)
        XCTAssertFalse(text.contains("t_absent"))
    }

    func testLabelValuesAreEscapedByteForByteAndOtherTextIsKept() {
        let family = MetricFamily(name: "t_paths", help: "Paths.", type: .gauge, samples: [
            MetricSample(1, labels: [MetricLabel("path", "/sys/fs/cgroup/é\"ü\r\n\\x"), MetricLabel("plain", "ok")]),
        ])
        XCTAssertEqual(
            ExpositionEncoder.encode([family], as: .prometheus),
            "# HELP t_paths Paths.\n# TYPE t_paths gauge\nt_paths{path=\"/sys/fs/cgroup/é\\\"ü\r\\n\\\\x\",plain=\"ok\"} 1.0\n"
        )
    }

    /// The endpoint renders everything but the scrape histogram once per collection and adds that
    /// histogram per scrape: the joined text must be exactly the whole catalog encoded at once.
    func testARenderedCollectionPlusTheScrapeHistogramIsTheWholeExposition() {
        var input = EveryAreaInput.make()
        var scrapes = DurationHistogram()
        scrapes.observe(.microseconds(700))
        input.scrapeDurations = scrapes.snapshot
        for format in [ExpositionFormat.prometheus, .openMetrics] {
            let rendered = ExpositionEncoder.render(MetricCatalog.collectionFamilies(from: input), as: format)
            let scrape = MetricCatalog.scrapeDurationFamily(input.scrapeDurations, created: input.daemonStartTimeSeconds)
            let joined = ExpositionEncoder.encode([scrape], after: rendered, as: format)
            XCTAssertEqual(joined, ExpositionEncoder.encode(MetricCatalog.families(from: input), as: format), "\(format)")
            XCTAssertTrue(joined.contains("smoothtask_scrape_duration_seconds_count 1\n"), joined)
            XCTAssertFalse(rendered.contains("# EOF"))
        }
    }

    func testHistogramCountsEachObservationInEveryBucketAtOrAboveIt() {
        var histogram = DurationHistogram(upperBounds: [0.001, 0.01, 0.1])
        histogram.observe(.microseconds(500))
        histogram.observe(.milliseconds(5))
        histogram.observe(.milliseconds(5))
        histogram.observe(.seconds(2))
        XCTAssertEqual(histogram.snapshot.cumulativeCounts, [1, 3, 3])
        XCTAssertEqual(histogram.snapshot.count, 4)
        XCTAssertEqual(histogram.snapshot.sum, 2.0105, accuracy: 1e-9)
    }
}
