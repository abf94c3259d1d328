import Foundation
@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskServer
import XCTest

/// Reading /proc's hidepid from mountinfo, and filtering `top_processes` by it.
final class ProcVisibilityTests: XCTestCase {
    private let nobody = PeerCredentials(pid: 1, uid: 65534, gid: 65534)

    func testModernAndNumericHidepidValuesHide() {
        for value in ["invisible", "noaccess", "ptraceable", "1", "2", "4"] {
            let info = "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw,hidepid=\(value)\n"
            XCTAssertTrue(ProcVisibility.parse(mountInfo: info).hidesOtherUsers, value)
        }
    }

    func testNoHidepidOrOffShowsEverything() {
        let plain = "22 1 0:21 / /proc rw,relatime shared:12 - proc proc rw\n"
        XCTAssertFalse(ProcVisibility.parse(mountInfo: plain).hidesOtherUsers)
        XCTAssertFalse(ProcVisibility.parse(mountInfo: plain.replacingOccurrences(of: " rw\n", with: " rw,hidepid=off\n")).hidesOtherUsers)
        XCTAssertFalse(ProcVisibility.parse(mountInfo: "").hidesOtherUsers)
    }

    func testLastProcMountWinsAndOtherMountsAreIgnored() {
        let info = """
            22 1 0:21 / /proc rw shared:12 - proc proc rw,hidepid=invisible,gid=27
            30 1 0:30 / /other/proc rw - proc proc rw
            31 1 0:31 / /tmp rw - tmpfs tmpfs rw,hidepid=2
            """
        let visibility = ProcVisibility.parse(mountInfo: info)
        XCTAssertEqual(visibility, ProcVisibility(hidesOtherUsers: true, exemptGID: 27))
        let remounted = info + "\n40 1 0:40 / /proc rw - proc proc rw\n"
        XCTAssertEqual(ProcVisibility.parse(mountInfo: remounted), ProcVisibility(hidesOtherUsers: false, exemptGID: nil))
    }

    func testRootAndTheExemptGroupSeeAll() {
        let visibility = ProcVisibility(hidesOtherUsers: true, exemptGID: 27)
        XCTAssertTrue(visibility.showsEverything(to: PeerCredentials(pid: 1, uid: 0, gid: 0)))
        XCTAssertTrue(visibility.showsEverything(to: PeerCredentials(pid: 1, uid: 1000, gid: 27)))
        XCTAssertFalse(visibility.showsEverything(to: nobody))
    }

    /// Ground truth: this test process (owned by our uid) and pid 1 (owned by root) as /proc shows them.
    func testFilterKeepsOnlyTheCallersProcessesAndEveryTotal() throws {
        let me = getpid()
        let ourUID = try XCTUnwrap(ProcVisibility.ownerUID(of: me))
        let initUID = try XCTUnwrap(ProcVisibility.ownerUID(of: 1))
        guard ourUID != 65534, initUID != 65534 else { throw XCTSkip("needs this test and pid 1 not to run as nobody") }
        let metrics = EbpfMetrics(
            cpuUsage: 12.5,
            memoryUsage: 1 << 30,
            topProcesses: [
                ProcessCPUUsage(pid: me, comm: "test", cpuPercent: 50, cpuTimeNanoseconds: 5),
                ProcessCPUUsage(pid: 1, comm: "init", cpuPercent: 10, cpuTimeNanoseconds: 1),
            ],
            timestamp: 1,
            windowMilliseconds: 1000
        )
        let hiding = ProcVisibility(hidesOtherUsers: true, exemptGID: nil)
        let asOwner = hiding.filter(metrics, for: PeerCredentials(pid: 9, uid: ourUID, gid: 12345))
        XCTAssertEqual(asOwner.topProcesses?.map(\.pid), ourUID == initUID ? [me, 1] : [me])
        XCTAssertEqual(hiding.filter(metrics, for: nobody).topProcesses?.map(\.pid), [])
        XCTAssertEqual(hiding.filter(metrics, for: nobody).cpuUsage, 12.5, "system totals are for everyone")
        XCTAssertEqual(ProcVisibility(hidesOtherUsers: false, exemptGID: nil).filter(metrics, for: nobody), metrics)
    }
}
