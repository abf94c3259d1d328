import SmoothTaskHostChecks
import XCTest

@testable import SmoothTaskCollectors

final class EbpfSupportTests: XCTestCase {
    func testThisMachineSupportsEbpf() throws {
        let support = EbpfMetricsCollector.checkEbpfSupport()
        print("checkEbpfSupport: supported=\(support.supported) kernel=\(support.kernelRelease) "
            + "reason=\(support.reason ?? "-") remedy=\(support.remedy ?? "-")")
        try TestSupport.skipUnlessPermittedToLoadEbpf()
        XCTAssertTrue(support.supported, "eBPF unsupported: \(support.reason ?? "") -> \(support.remedy ?? "")")
        XCTAssertEqual(support.kernelRelease, KernelRelease.current.text)
    }

    func testKernelVersionComparison() throws {
        let running = try XCTUnwrap(KernelRelease.current.version)
        XCTAssertTrue(KernelRelease.current.isAtLeast(major: running.major, minor: running.minor))
        XCTAssertFalse(KernelRelease.current.isAtLeast(major: running.major, minor: running.minor + 1))
        XCTAssertFalse(KernelRelease(text: "5.4.0-150-generic").isAtLeast(major: 5, minor: 8))
    }
}
