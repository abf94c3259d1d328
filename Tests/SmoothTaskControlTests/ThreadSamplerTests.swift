import Foundation
import SmoothTaskModel
@testable import smoothtaskctl
import XCTest

/// The thread view's rows against /proc itself: every thread of a process listed once under its
/// tid, and a thread that spun between two samples shows the CPU it used there.
final class ThreadSamplerTests: XCTestCase {
    func testThreadsOfThisProcessAndTheCPUOfTheOneThatSpun() throws {
        let pid = getpid()
        var process = ProcessActivity(pid: pid, state: .live)
        process.user = "tester"
        var sampler = ThreadSampler()
        let first = sampler.threads(of: [TopRow(process)])
        XCTAssertTrue(first.allSatisfy { $0.activity.cpuPercent == nil }, "no CPU before a second sample")

        // /proc/thread-self links to PID/task/TID of the calling thread.
        let spinner = try XCTUnwrap(Int32(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
            .split(separator: "/").last ?? ""))
        let start = Date()
        var spins = 0
        while Date().timeIntervalSince(start) < 0.3 { spins &+= 1 }
        let second = sampler.threads(of: [TopRow(process)])

        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").compactMap(Int32.init)
        XCTAssertEqual(Set(second.map(\.pid)).intersection(tasks).count, second.count, "every row is a thread of \(pid)")
        XCTAssertTrue(second.contains { $0.pid == spinner }, "the spinning thread is listed")
        XCTAssertTrue(second.allSatisfy { $0.activity.user == "tester" && $0.parent != $0.pid })
        XCTAssertTrue(second.contains { $0.pid == pid && $0.parent == nil }, "the main thread is the tree's root")
        let spun = try XCTUnwrap(second.first { $0.pid == spinner }?.activity.cpuPercent)
        print("thread view: thread \(spinner) spun 0.3 s and reads \(spun)% of one CPU (\(spins) spins); \(second.count) threads")
        // Ticks are 10 ms and the machine may be busy: at least one tick, at most one CPU.
        XCTAssertGreaterThan(spun, 0)
        XCTAssertLessThanOrEqual(spun, 110)
    }

    func testExitedRowsHaveNoThreads() {
        var sampler = ThreadSampler()
        XCTAssertTrue(sampler.threads(of: [TopRow(ProcessActivity(pid: getpid(), state: .exited))]).isEmpty)
    }
}
