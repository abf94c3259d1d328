import SmoothTaskModel
import XCTest

final class CgroupsReportTests: XCTestCase {
    private func row(_ path: String?, _ id: UInt64, _ nanoseconds: UInt64) -> CgroupCPUUsage {
        CgroupCPUUsage(
            cgroup: path, id: id, unit: path.flatMap(SystemdUnit.name(of:)), cpuPercent: Double(nanoseconds) / 1e7,
            cpuTimeNanoseconds: nanoseconds, cpuTotalNanoseconds: nanoseconds * 10
        )
    }

    func testUnitNamesAreTheDeepestUnitOnThePath() {
        XCTAssertEqual(SystemdUnit.name(of: "/system.slice/ssh.service"), "ssh.service")
        XCTAssertEqual(SystemdUnit.name(of: "/user.slice/user-0.slice/session-3.scope"), "session-3.scope")
        XCTAssertEqual(SystemdUnit.name(of: "/system.slice/docker-1.scope/inner"), "docker-1.scope")
        XCTAssertNil(SystemdUnit.name(of: "/smoothtask-test"))
        XCTAssertNil(SystemdUnit.name(of: "/"))
    }

    func testByUnitSumsCgroupsIntoTheirUnitAndSortsBusiestFirst() {
        let report = CgroupsReport(
            by: .cgroup,
            cgroups: [
                row("/system.slice/a.service/worker", 11, 3_000_000),
                row("/system.slice/a.service", 10, 1_000_000),
                row("/system.slice/b.service", 20, 2_000_000),
                row("/plain", 30, 500_000),
                row(nil, 40, 9_000_000),
            ],
            timestamp: 0, windowMilliseconds: 1000, source: .ebpf
        )
        let byUnit = report.top(10, by: .unit).cgroups ?? []
        XCTAssertEqual(byUnit.map(\.cgroup), [nil, "/system.slice/a.service", "/system.slice/b.service", "/plain"])
        XCTAssertEqual(byUnit[1].cpuTimeNanoseconds, 4_000_000)
        XCTAssertEqual(byUnit[1].id, 10, "the unit's own cgroup id")
        XCTAssertEqual(byUnit[1].unit, "a.service")
        XCTAssertEqual(report.top(2, by: .cgroup).cgroups?.map(\.id), [40, 11])
    }
}
