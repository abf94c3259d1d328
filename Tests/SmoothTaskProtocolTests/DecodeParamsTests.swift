import SmoothTaskModel
import SmoothTaskProtocol
import XCTest

final class DecodeParamsTests: XCTestCase {
    private func request(_ params: String) throws -> RPCRequest {
        try RPCRequestParser.parse(Array(#"{"jsonrpc":"2.0","id":1,"method":"config.set","params":\#(params)}"#.utf8))
    }

    private func decodeError(_ params: String, file: StaticString = #filePath, line: UInt = #line) throws -> RPCError? {
        do {
            let patch = try request(params).decodeParams(EbpfConfigPatch.self)
            XCTFail("decoded \(patch)", file: file, line: line)
            return nil
        } catch let error as RPCError {
            return error
        }
    }

    func testValidPatchDecodes() throws {
        let patch = try request(#"{"enable_cpu_metrics":false,"collection_interval_ms":250}"#)
            .decodeParams(EbpfConfigPatch.self)
        XCTAssertEqual(patch, EbpfConfigPatch(enableCPUMetrics: false, collectionIntervalMilliseconds: 250))
    }

    func testEmptyParamsDecodeToAnEmptyPatch() throws {
        XCTAssertTrue(try request("{}").decodeParams(EbpfConfigPatch.self).isEmpty)
    }

    func testWrongTypeNamesTheParameter() throws {
        let error = try XCTUnwrap(try decodeError(#"{"enable_cpu_metrics":"yes"}"#))
        XCTAssertEqual(error.code, -32602)
        XCTAssertEqual(error.data, RPCErrorData(name: "InvalidParameter", parameter: "enable_cpu_metrics"))
        XCTAssertEqual(error.message, "enable_cpu_metrics must be a boolean (true or false)")

        let interval = try XCTUnwrap(try decodeError(#"{"collection_interval_ms":"fast"}"#))
        XCTAssertEqual(interval.code, -32602)
        XCTAssertEqual(interval.data?.parameter, "collection_interval_ms")
        XCTAssertEqual(interval.message, "collection_interval_ms must be an integer")
    }

    func testFractionalIntervalNamesTheParameter() throws {
        let error = try XCTUnwrap(try decodeError(#"{"collection_interval_ms":1.5}"#))
        XCTAssertEqual(error.code, -32602)
        XCTAssertEqual(error.data?.parameter, "collection_interval_ms")
        XCTAssertEqual(error.message, "collection_interval_ms must be an integer (got 1.5)")

        let huge = try XCTUnwrap(try decodeError(#"{"enable_cpu_metrics":true,"collection_interval_ms":1e30}"#))
        XCTAssertEqual(huge.code, -32602)
        XCTAssertEqual(huge.data?.parameter, "collection_interval_ms")
    }

    func testUnknownKeyNamesTheParameter() throws {
        let error = try XCTUnwrap(try decodeError(#"{"enable_cpu_metric":true}"#))
        XCTAssertEqual(error.code, -32602)
        XCTAssertEqual(error.data?.parameter, "enable_cpu_metric")
        XCTAssertTrue(error.message.contains("unknown key 'enable_cpu_metric'"), error.message)
        XCTAssertTrue(error.message.contains("enable_cpu_metrics"), error.message)
    }

    /// The daemon's `cgroups.top` and the fuzz target's handler both take their row count from here.
    func testCgroupsTopLimitDefaultsAndRefusesOutOfRangeNamingIt() throws {
        XCTAssertEqual(try CgroupsTopParams().validatedLimit(), CgroupsTopParams.defaultLimit)
        XCTAssertEqual(try CgroupsTopParams(limit: CgroupsTopParams.maximumLimit).validatedLimit(), 1000)
        for limit in [0, -1, CgroupsTopParams.maximumLimit + 1, Int.min] {
            XCTAssertThrowsError(try CgroupsTopParams(limit: limit).validatedLimit()) { error in
                let error = error as? RPCError
                XCTAssertEqual(error?.code, RPCErrorCode.invalidParams.rawValue)
                XCTAssertEqual(error?.data?.parameter, "limit")
                XCTAssertEqual(error?.message, "limit must be 1...1000 (got \(limit))")
            }
        }
    }
}
