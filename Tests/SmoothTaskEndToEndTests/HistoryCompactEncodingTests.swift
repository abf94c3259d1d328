import Foundation
@testable import SmoothTaskHistory
import SmoothTaskModel
import XCTest

/// The history's compact encoding of a collection's figures (schema 6): read back through JSON, it
/// is what `JSONEncoder` wrote for the same value, at the edges of every kind of value; a damaged
/// blob is an error, never figures; what it cannot hold is refused, so the writer keeps JSON.
final class HistoryCompactEncodingTests: XCTestCase {
    private enum Kind: String, Codable, Equatable {
        case first, second
    }

    private struct Empty: Codable, Equatable {}

    private struct Sample: Codable, Equatable {
        var signed: [Int64] = [0, 1, -1, 127, 128, -128, Int64.max, Int64.min]
        var unsigned: [UInt64] = [0, 127, 128, UInt64.max]
        var small: [Int8] = [Int8.min, Int8.max]
        var doubles: [Double] = [0, -0.0, 0.1, -2.5, 3, 1e-300, 5e20, 9_007_199_254_740_992, 9_007_199_254_740_991, 12.345678901234567]
        var float: Float = 0.375
        var text = "quote \" backslash \\ newline \n control \u{1} tab \t é 😀"
        var emptyText = ""
        var byName: [String: Int] = ["a": 1, "b \"quoted\"": -2, "": 3]
        var byNumber: [Int: String] = [1: "one", -7: "minus seven"]
        var nested: [[UInt32]] = [[], [1, 2], [3]]
        var absent: Double? = nil
        var present: Double? = 42.5
        var flag = true
        var off = false
        var kind = Kind.second
        var kinds: [Kind] = [.first, .second]
        var empty = Empty()
        var empties: [Empty] = [Empty(), Empty()]
        var again: [String: Double] = ["a": 0.5, "b": 1]
    }

    private func object(_ data: Data) throws -> NSObject {
        try XCTUnwrap(JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? NSObject)
    }

    func testAValueReadsBackAsJSONEncoderWroteItAtEveryEdge() throws {
        let value = Sample()
        let blob = try CompactEncoder.encode(value)
        let json = try CompactTranscoder.json(from: blob)
        XCTAssertEqual(try JSONDecoder().decode(Sample.self, from: json), value)
        XCTAssertEqual(try object(json), try object(JSONEncoder().encode(value)))
        print("compact: \(blob.count) bytes, JSON: \(try JSONEncoder().encode(value).count) bytes")
    }

    func testACollectionWithItsListsReadsBackToTheBit() throws {
        var metrics = EbpfMetrics(
            cpuUsage: 12.5, cpuPerCore: [10.25, 14.75], memoryUsage: 1 << 30, memoryTotal: 8 << 30, timestamp: 1_750_000_000_123,
            windowMilliseconds: 1003
        )
        metrics.topProcesses = [ProcessListBuilder.cpu(pid: 42, comm: "sp\"in ner", cpuNanoseconds: 123_456_789, windowNanoseconds: 1_003_000_000)]
        metrics.sources = [EbpfMetrics.Name.cpu: .ebpf, EbpfMetrics.Name.memory: .procfs]
        metrics.unavailable = ["disk": "not enabled (enable_disk_metrics)"]
        let blob = try CompactEncoder.encode(metrics)
        let json = try CompactTranscoder.json(from: blob)
        XCTAssertEqual(try JSONDecoder().decode(EbpfMetrics.self, from: json), metrics)
        XCTAssertEqual(try object(json), try object(JSONEncoder().encode(metrics)))
    }

    func testADamagedBlobIsAnErrorNeverFigures() throws {
        let blob = try CompactEncoder.encode(Sample())
        for cut in [1, blob.count / 3, blob.count / 2, blob.count - 1] {
            XCTAssertThrowsError(try CompactTranscoder.json(from: blob.prefix(cut)), "cut at \(cut) of \(blob.count)")
        }
        var unknownVersion = blob
        unknownVersion[unknownVersion.startIndex] = 99
        XCTAssertThrowsError(try CompactTranscoder.json(from: unknownVersion))
        XCTAssertThrowsError(try CompactTranscoder.json(from: blob + [CompactTag.null.rawValue]), "bytes after the value")
        // A key reference to a key not written yet.
        XCTAssertThrowsError(try CompactTranscoder.json(from: Data([CompactTag.formatVersion, CompactTag.keyed.rawValue, 5, 0])))
    }

    private struct WithData: Codable {
        var bytes = Data([1, 2, 3])
    }

    private struct NotANumber: Codable {
        var value = Double.nan
    }

    func testWhatTheEncodingCannotHoldIsRefusedAndTheWriterKeepsJSON() throws {
        XCTAssertThrowsError(try CompactEncoder.encode(WithData()), "JSONEncoder writes Data as base64 text")
        XCTAssertThrowsError(try CompactEncoder.encode(NotANumber()), "JSON cannot hold NaN either")
        let metrics = EbpfMetrics(cpuUsage: 1, cpuPerCore: [1], memoryUsage: 1, memoryTotal: 2, timestamp: 1, windowMilliseconds: 1000)
        XCTAssertEqual(try HistoryWriter.encode(metrics, lists: nil, compact: true).1, .compact)
        XCTAssertEqual(try HistoryWriter.encode(metrics, lists: nil, compact: false).1, .json)
    }
}
