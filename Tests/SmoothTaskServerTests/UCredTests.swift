@testable import SmoothTaskServer
import XCTest

final class UCredTests: XCTestCase {
    /// `getsockopt(SO_PEERCRED)` writes a 12-byte `struct ucred { pid_t; uid_t; gid_t; }`.
    func testMirrorsTheKernelsStructUcred() {
        XCTAssertEqual(MemoryLayout<UCred>.size, 12)
        XCTAssertEqual(MemoryLayout<UCred>.stride, 12)
        XCTAssertEqual(MemoryLayout<UCred>.offset(of: \.pid), 0)
        XCTAssertEqual(MemoryLayout<UCred>.offset(of: \.uid), 4)
        XCTAssertEqual(MemoryLayout<UCred>.offset(of: \.gid), 8)
    }
}
