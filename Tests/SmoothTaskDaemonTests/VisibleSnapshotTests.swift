import Foundation
@testable import SmoothTaskDaemon
import SmoothTaskModel
import SmoothTaskServer
import XCTest

/// The visibility step covers every per-process list: a snapshot with every list filled is walked by
/// reflection, so a list added later that ``ProcessRowContainer/keepingRows(where:)`` forgets fails here.
final class VisibleSnapshotTests: XCTestCase {
    /// A caller that owns no process, under hidepid: it may see no row at all.
    private let hideAll = Viewer(
        caller: PeerCredentials(pid: 1, uid: 4_000_000_123, gid: 4_000_000_123),
        rules: ProcVisibility(hidesOtherUsers: true, exemptGID: nil)
    )
    /// Beyond any pid_max (at most 2^22): a process that is gone.
    private let gonePID: Int32 = 2_000_000_000

    func testHideAllViewerLeavesNoRowAnywhereInStatus() throws {
        let status = fullStatus()
        XCTAssertEqual(unfilledLists(in: status, path: "status"), [], "the fixture must fill every per-process list")
        XCTAssertEqual(pidHoldersThatAreNotRows(in: status, path: "status"), [], "every value with a pid must be a ProcessRow")
        let before = rows(in: status, path: "status")
        let rowTypes = Set(before.map { String(describing: type(of: $0.row)) })
        XCTAssertEqual(
            rowTypes,
            ["ProcessCPUUsage", "ProcessEventCount", "ProcessDiskIO", "ProcessNetworkIO", "ProcessSchedLatency", "OOMKill"]
        )
        print("rows in the full snapshot: \(before.count) of \(rowTypes.count) types")

        let visible = Visible(status, for: hideAll).value
        XCTAssertEqual(rows(in: visible, path: "status").map(\.path), [], "rows left for a viewer that may see none")
        XCTAssertEqual(visible.metrics.cpuUsage, status.metrics.cpuUsage, "system totals are for everyone")
        XCTAssertEqual(visible.metrics.disk?.devices, status.metrics.disk?.devices, "system totals are for everyone")
        XCTAssertEqual(visible.pid, status.pid, "the daemon's own pid stays: SO_PEERCRED tells every client")
    }

    func testHideAllViewerLeavesNoRowInProcessTopAndCountsNone() {
        var first = ProcessActivity(pid: getpid())
        first.uid = getuid()
        var second = ProcessActivity(pid: 1)
        second.uid = 0
        let top = ProcessTop(sort: .cpu, windowMilliseconds: 1000, timestamp: 1, matched: 2, processes: [first, second], unavailable: [:])
        XCTAssertEqual(rows(in: top, path: "top").count, 2)
        let visible = Visible(top, for: hideAll).value
        XCTAssertEqual(rows(in: visible, path: "top").map(\.path), [])
        XCTAssertEqual(visible.matched, 0, "the count must not reveal hidden rows")
    }

    func testViewerWhoSeesEverythingGetsTheValueUnchanged() {
        let status = fullStatus()
        let root = Viewer(caller: PeerCredentials(pid: 1, uid: 0, gid: 0), rules: ProcVisibility(hidesOtherUsers: true, exemptGID: nil))
        XCTAssertEqual(Visible(status, for: root).value, status)
        XCTAssertNotNil(Visible(whole: status, for: root))
        XCTAssertNil(Visible(whole: status, for: hideAll), "a whole value is only for a viewer who sees everything")
    }

    // MARK: - The fixture: every per-process list filled

    private func fullStatus() -> DaemonStatus {
        let me = getpid()
        let pids = [me, 1, gonePID]
        let histogram = LatencyHistogram(slotCounts: [1, 2, 3], sumNanoseconds: 10, maxNanoseconds: 5)
        var metrics = EbpfMetrics(
            cpuUsage: 12.5, cpuPerCore: [12.5], memoryUsage: 1 << 30, memoryTotal: 1 << 32, syscallCount: 10,
            syscallRate: 1,
            topProcesses: pids.map { ProcessCPUUsage(pid: $0, comm: "cpu\($0)", cpuPercent: 1, cpuTimeNanoseconds: 1) },
            timestamp: 1, windowMilliseconds: 1000
        )
        metrics.syscalls = SyscallMetrics(
            architecture: "x86_64", total: 10, failuresTotal: 1, windowCount: 10, ratePerSecond: 10, failureRatePerSecond: 1,
            topSyscalls: [SyscallCount(id: 0, name: "read", count: 10, ratePerSecond: 10)],
            topFailures: [SyscallFailureCount(id: 0, name: "read", errno: 2, errnoName: "ENOENT", count: 1)],
            topProcesses: pids.map { ProcessEventCount(pid: $0, comm: "sys\($0)", count: 1, ratePerSecond: 1) }, mapFull: 0
        )
        metrics.memory = MemoryMetrics(
            system: SystemMemory(
                totalBytes: 4, availableBytes: 2, freeBytes: 1, swapTotalBytes: 0, swapFreeBytes: 0,
                pressure: MemoryPressure(someAvg10: 0, someAvg60: 0, someTotalMicroseconds: 0, fullAvg10: 0, fullTotalMicroseconds: 0)
            ),
            events: MemoryEventMetrics(
                userFaultsTotal: 1, userFaults: 1, userFaultRatePerSecond: 1,
                topFaulting: pids.map { ProcessEventCount(pid: $0, comm: "fault\($0)", count: 1, ratePerSecond: 1) },
                reclaimStallsTotal: 0, reclaimStallNanosecondsTotal: 0, reclaimStalls: 0, reclaimStallNanoseconds: 0,
                oomKillsTotal: 2,
                recentOOMKills: [
                    OOMKill(pid: gonePID, comm: "mine", uid: getuid(), timestamp: 1),
                    OOMKill(pid: gonePID - 1, comm: "roots", uid: 0, timestamp: 1),
                ],
                mapFull: 0
            )
        )
        metrics.schedLatency = SchedLatencyMetrics(
            histogram: histogram,
            topProcesses: pids.map { ProcessSchedLatency(pid: $0, comm: "wait\($0)", histogram: histogram) }
        )
        metrics.disk = DiskMetrics(
            devices: [
                DiskDeviceIO(
                    name: "sda", major: 8, minor: 0, readRequests: 1, writeRequests: 1, otherRequests: 0, readBytes: 1,
                    writeBytes: 1, latency: histogram
                )
            ],
            latency: histogram,
            topProcesses: pids.map { ProcessDiskIO(pid: $0, comm: "disk\($0)", readBytes: 1, writeBytes: 1) }
        )
        metrics.network = NetworkMetrics(
            interfaces: [NetworkInterfaceIO(name: "lo", index: 1, rxBytes: 1, rxPackets: 1, txBytes: 1, txPackets: 1)],
            topProcesses: pids.map {
                ProcessNetworkIO(pid: $0, comm: "net\($0)", sentBytes: 1, receivedBytes: 1, sendCalls: 1, receiveCalls: 1)
            },
            tcpRetransmits: 0
        )
        return DaemonStatus(
            version: "test", protocolVersion: 1, pid: me, uptimeSeconds: 1, config: .defaults, metrics: metrics,
            ebpf: EbpfState(support: EbpfSupport(supported: true, kernelRelease: "6.8"), programs: []),
            overhead: DaemonOverhead(
                pid: me, cpuPercent: 0, windowMilliseconds: 1000, cpuPercentSinceStart: 0, cpuTimeSeconds: 0, rssBytes: 0,
                bpfStatsEnabled: false, bpfStatsNote: "", programs: []
            )
        )
    }

    // MARK: - Reflection

    /// Types that carry the daemon's own pid, which is not a per-process row.
    private let daemonSelfTypes = ["DaemonStatus", "DaemonOverhead", "DaemonDiagnostics"]

    /// Every ``ProcessRow`` inside `value`, at any depth, with where it was found.
    private func rows(in value: Any, path: String) -> [(path: String, row: any ProcessRow)] {
        var found: [(path: String, row: any ProcessRow)] = []
        walk(value, path: path) { value, path in
            if let row = value as? any ProcessRow { found.append((path, row)) }
        }
        return found
    }

    /// Row lists (and optional row containers) left empty or `nil`: the walk could not see what they hold.
    private func unfilledLists(in value: Any, path: String) -> [String] {
        var unfilled: [String] = []
        walk(value, path: path) { value, path in
            guard value is any ProcessRowContainer else { return }
            let mirror = Mirror(reflecting: value)
            if [.optional, .collection].contains(mirror.displayStyle), mirror.children.isEmpty { unfilled.append(path) }
        }
        return unfilled
    }

    /// Values with a `pid` field that are not rows: a new row type that forgot to conform.
    private func pidHoldersThatAreNotRows(in value: Any, path: String) -> [String] {
        var holders: [String] = []
        walk(value, path: path) { value, path in
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .struct, mirror.children.contains(where: { $0.label == "pid" }) else { return }
            let typeName = String(describing: type(of: value))
            if !(value is any ProcessRow), !daemonSelfTypes.contains(typeName) { holders.append("\(path): \(typeName)") }
        }
        return holders
    }

    private func walk(_ value: Any, path: String, visit: (Any, String) -> Void) {
        visit(value, path)
        for (index, child) in Mirror(reflecting: value).children.enumerated() {
            walk(child.value, path: "\(path).\(child.label ?? "\(index)")", visit: visit)
        }
    }
}
