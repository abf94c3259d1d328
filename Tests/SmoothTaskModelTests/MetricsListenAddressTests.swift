import SmoothTaskModel
import XCTest

final class MetricsListenAddressTests: XCTestCase {
    func testParsesTCPAndUnixForms() throws {
        XCTAssertEqual(try MetricsListenAddress(parsing: "127.0.0.1:9464"), .tcp(host: "127.0.0.1", port: 9464))
        XCTAssertEqual(try MetricsListenAddress(parsing: "[::1]:9464"), .tcp(host: "::1", port: 9464))
        XCTAssertEqual(try MetricsListenAddress(parsing: "localhost:1"), .tcp(host: "localhost", port: 1))
        XCTAssertEqual(try MetricsListenAddress(parsing: "/run/m.sock"), .unix(path: "/run/m.sock"))
        XCTAssertEqual(try MetricsListenAddress(parsing: "[::1]:9464").description, "[::1]:9464")
    }

    func testRejectsMalformedAddressesNamingTheKey() {
        for bad in ["9464", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":9464", "::1:9464", "[::1]9464", "relative.sock"] {
            XCTAssertThrowsError(try MetricsListenAddress(parsing: bad), bad) { error in
                XCTAssertEqual((error as? ConfigValidationError)?.field, "prometheus_listen")
            }
        }
    }

    func testOnlyLoopbackAndUnixSocketsAreLoopback() throws {
        XCTAssertTrue(try MetricsListenAddress(parsing: "127.0.0.2:80").isLoopback)
        XCTAssertTrue(try MetricsListenAddress(parsing: "[::1]:80").isLoopback)
        XCTAssertTrue(try MetricsListenAddress(parsing: "/tmp/m.sock").isLoopback)
        XCTAssertFalse(try MetricsListenAddress(parsing: "0.0.0.0:80").isLoopback)
        XCTAssertFalse(try MetricsListenAddress(parsing: "[::]:80").isLoopback)
    }

    func testPatchDistinguishesNullFromAbsent() throws {
        let decoder = JSONDecoder()
        let off = try decoder.decode(EbpfConfigPatch.self, from: Data(#"{"prometheus_listen":null}"#.utf8))
        XCTAssertEqual(off.prometheusListen, .some(nil))
        XCTAssertFalse(off.isEmpty)
        XCTAssertTrue(try decoder.decode(EbpfConfigPatch.self, from: Data("{}".utf8)).isEmpty)
        var config = EbpfConfig.defaults
        config.prometheusListen = "127.0.0.1:9464"
        XCTAssertNil(try config.applying(off).prometheusListen)
        XCTAssertThrowsError(try config.applying(EbpfConfigPatch(prometheusCgroupLimit: 101)))
    }
}
