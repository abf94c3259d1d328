import Foundation
@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskServer
import XCTest

/// Reading /proc's hidepid from mountinfo, and redacting per-process rows by it.
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
        let rules = ProcVisibility(hidesOtherUsers: true, exemptGID: 27)
        XCTAssertTrue(Viewer(caller: PeerCredentials(pid: 1, uid: 0, gid: 0), rules: rules).seesEverything)
        XCTAssertTrue(Viewer(caller: PeerCredentials(pid: 1, uid: 1000, gid: 27), rules: rules).seesEverything)
        XCTAssertTrue(Viewer(caller: nobody, rules: rules, supplementaryGroups: { [100, 27] }).seesEverything, "by supplementary group")
        XCTAssertFalse(Viewer(caller: nobody, rules: rules, supplementaryGroups: { [100] }).seesEverything)
        XCTAssertTrue(Viewer(caller: nobody, rules: ProcVisibility(hidesOtherUsers: false, exemptGID: nil)).seesEverything)
    }

    func testSupplementaryGroupsAreReadOnlyWhenTheyDecide() {
        var asked = 0
        _ = Viewer(caller: nobody, rules: ProcVisibility(hidesOtherUsers: true, exemptGID: nil)) { asked += 1; return [] }
        _ = Viewer(caller: nobody, rules: ProcVisibility(hidesOtherUsers: false, exemptGID: 27)) { asked += 1; return [] }
        XCTAssertEqual(asked, 0)
    }

    /// Ground truth: this test process (owned by our uid) and pid 1 (owned by root) as /proc shows them.
    func testRedactionKeepsOnlyTheCallersProcessesAndEveryTotal() throws {
        let me = getpid()
        let ourUID = try XCTUnwrap(ProcVisibility.ownerUID(of: me))
        let initUID = try XCTUnwrap(ProcVisibility.ownerUID(of: 1))
        guard ourUID != 65534, initUID != 65534 else { throw XCTSkip("needs this test and pid 1 not to run as nobody") }
        let gone: Int32 = 2_000_000_000
        // Root sees everything, so a suite run as root checks the owner's view as nobody (who owns none of these).
        let owner = ourUID == 0 ? nobody : PeerCredentials(pid: 9, uid: ourUID, gid: 12345)
        let ownerSees = ourUID == 0 ? [] : ourUID == initUID ? [me, 1] : [me]
        var metrics = EbpfMetrics(
            cpuUsage: 12.5,
            memoryUsage: 1 << 30,
            topProcesses: [
                ProcessCPUUsage(pid: me, comm: "test", cpuPercent: 50, cpuTimeNanoseconds: 5),
                ProcessCPUUsage(pid: 1, comm: "init", cpuPercent: 10, cpuTimeNanoseconds: 1),
                ProcessCPUUsage(pid: gone, comm: "gone", cpuPercent: 10, cpuTimeNanoseconds: 1),
            ],
            timestamp: 1,
            windowMilliseconds: 1000
        )
        metrics.memory = MemoryMetrics(
            system: nil,
            events: MemoryEventMetrics(
                userFaultsTotal: 0, userFaults: 0, userFaultRatePerSecond: 0, topFaulting: [], reclaimStallsTotal: 0,
                reclaimStallNanosecondsTotal: 0, reclaimStalls: 0, reclaimStallNanoseconds: 0, oomKillsTotal: 2,
                recentOOMKills: [
                    OOMKill(pid: gone, comm: "mine", uid: owner.uid, timestamp: 1),
                    OOMKill(pid: gone - 1, comm: "other", uid: 0, timestamp: 1),
                ],
                mapFull: 0
            )
        )
        let hiding = ProcVisibility(hidesOtherUsers: true, exemptGID: nil)
        let asOwner = Visible(metrics, for: Viewer(caller: owner, rules: hiding)).value
        XCTAssertEqual(asOwner.topProcesses?.map(\.pid), ownerSees, "a gone process with no uid is hidden")
        XCTAssertEqual(asOwner.memory?.events?.recentOOMKills.map(\.comm), ["mine"], "OOM victims by their recorded uid")
        let stranger = PeerCredentials(pid: 9, uid: 4_000_000_123, gid: 4_000_000_123)
        let asNobody = Visible(metrics, for: Viewer(caller: stranger, rules: hiding)).value
        XCTAssertEqual(asNobody.topProcesses?.map(\.pid), [])
        XCTAssertEqual(asNobody.memory?.events?.recentOOMKills.count, 0)
        XCTAssertEqual(asNobody.cpuUsage, 12.5, "system totals are for everyone")
        XCTAssertEqual(asNobody.memory?.events?.oomKillsTotal, 2, "system totals are for everyone")
        let open = Viewer(caller: nobody, rules: ProcVisibility(hidesOtherUsers: false, exemptGID: nil))
        XCTAssertEqual(Visible(metrics, for: open).value, metrics)
    }
}
