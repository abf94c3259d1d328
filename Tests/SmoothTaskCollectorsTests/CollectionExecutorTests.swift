import Foundation
import SmoothTaskCollectors
import XCTest

/// The thread collection runs on: jobs run there, one at a time, and the thread ends when asked.
final class CollectionExecutorTests: XCTestCase {
    /// An actor pinned to an executor the way the collectors are.
    private actor Pinned {
        let executor: CollectionExecutor
        var counter = 0
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

        init(on executor: CollectionExecutor) { self.executor = executor }

        func increment() { counter += 1 }
        func whereAmI() -> RunningThread { RunningThread.current() }
        func isOnExecutor() -> Bool { executor.isCurrent }
    }

    /// The calling thread's id and name, from /proc/thread-self.
    private struct RunningThread: Equatable, Sendable {
        let tid: String
        let name: String

        static func current() -> RunningThread {
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            return RunningThread(
                tid: String(link.split(separator: "/").last ?? ""),
                name: name.trimmingCharacters(in: .whitespacesAndNewlines)
            )
        }

        var exists: Bool { FileManager.default.fileExists(atPath: "/proc/self/task/\(tid)") }
    }

    /// Runs nonisolated, so on the task's preferred executor if it has one.
    private static func threadOfNonisolatedCode() async -> RunningThread { RunningThread.current() }

    private func waitUntilGone(_ thread: RunningThread, seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while thread.exists, Date() < deadline { usleep(10_000) }
        return !thread.exists
    }

    func testActorJobsRunOnTheNamedDedicatedThread() async {
        let executor = CollectionExecutor(threadName: "st-test-exec")
        let pinned = Pinned(on: executor)
        let thread = await pinned.whereAmI()
        XCTAssertEqual(thread.name, "st-test-exec")
        XCTAssertNotEqual(thread, RunningThread.current())
        let onExecutor = await pinned.isOnExecutor()
        XCTAssertTrue(onExecutor)
        XCTAssertFalse(executor.isCurrent)
        // Every job lands on the same thread.
        for _ in 0..<20 {
            let again = await pinned.whereAmI()
            XCTAssertEqual(again, thread)
        }
        executor.stop()
    }

    func testJobsRunOneAtATime() async {
        let executor = CollectionExecutor(threadName: "st-test-serial")
        let pinned = Pinned(on: executor)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { for _ in 0..<1_000 { await pinned.increment() } }
            }
        }
        let counter = await pinned.counter
        XCTAssertEqual(counter, 8_000)
        executor.stop()
    }

    func testATaskPreferringTheExecutorRunsNonisolatedCodeOnItsThread() async {
        let executor = CollectionExecutor(threadName: "st-test-pref")
        let preferred = await withTaskExecutorPreference(executor) { await Self.threadOfNonisolatedCode() }
        XCTAssertEqual(preferred.name, "st-test-pref")
        let unstructured = await Task(executorPreference: executor) { RunningThread.current() }.value
        XCTAssertEqual(unstructured, preferred)
        let elsewhere = await Self.threadOfNonisolatedCode()
        XCTAssertNotEqual(elsewhere.name, "st-test-pref")
        executor.stop()
    }

    func testStopEndsTheThreadAndALateJobStillRuns() async {
        let executor = CollectionExecutor(threadName: "st-test-stop")
        let pinned = Pinned(on: executor)
        let first = await pinned.whereAmI()
        XCTAssertTrue(first.exists)
        executor.stop()
        // stop() returns once the thread has exited; the kernel may take a moment to reap the task.
        XCTAssertTrue(waitUntilGone(first), "thread \(first.tid) still running after stop()")
        // A collector called during shutdown is still answered, on a thread that ends by itself.
        let late = await pinned.whereAmI()
        XCTAssertEqual(late.name, "st-test-stop")
        XCTAssertTrue(waitUntilGone(late), "thread \(late.tid) kept running after a late job")
        await pinned.increment()
        let counter = await pinned.counter
        XCTAssertEqual(counter, 1)
    }

    func testReleasingTheExecutorEndsTheThread() async {
        var pinned: Pinned? = Pinned(on: CollectionExecutor(threadName: "st-test-free"))
        let thread = await pinned!.whereAmI()
        XCTAssertTrue(thread.exists)
        pinned = nil
        XCTAssertTrue(waitUntilGone(thread), "thread \(thread.tid) outlived its executor")
    }
}
