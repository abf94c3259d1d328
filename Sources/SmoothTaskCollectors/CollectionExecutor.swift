/// The executor collection runs on: one dedicated thread, off Swift's cooperative pool.
///
/// Collectors block: eBPF map reads, /proc reads, user and group lookups. On the cooperative pool
/// (one thread per core, two on a small machine) that blocking took threads away from request
/// handling, and a burst of requests (a client sending expensive frames) delayed the collection tick.
/// Here the collector's actor (``EbpfMetricsCollector``) runs every job on
/// this executor's own thread, and the collection loop prefers it as its task executor, so its
/// wake-ups and the state updates between collectors run there too: a tick waits for no request, and
/// no request waits for a tick except one that asks a collector itself (`processes.top`, `status`).
///
/// A `SerialExecutor` (actors may use it as their `unownedExecutor`) and a `TaskExecutor` (tasks may
/// prefer it with `withTaskExecutorPreference` or `Task(executorPreference:)`). Jobs run in the order
/// they arrive, one at a time.
///
/// Lifetime: the thread starts with the first job. ``stop()`` (called by the daemon at shutdown)
/// runs what is queued, then ends the thread; releasing the executor does the same. A job arriving
/// after ``stop()`` is still run, on a thread that ends again once the queue is empty.
public final class CollectionExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    /// The thread's default name, as shown in /proc/PID/task/TID/comm (15 bytes at most).
    public static let defaultThreadName = "smoothtask-coll"

    /// Set once in init (it needs `self`), never changed.
    private var thread: DedicatedThread!

    /// Creates the executor; its thread starts with the first job.
    /// - Parameter threadName: the thread's name in /proc and `top -H`, truncated to 15 bytes.
    public init(threadName: String = CollectionExecutor.defaultThreadName) {
        // Unowned: the thread must not keep the executor alive (releasing it stops the thread), and
        // no job can outlive it, since actors and tasks that enqueue here hold it.
        thread = DedicatedThread(name: threadName) { [unowned self] job in
            job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
        }
    }

    deinit {
        thread.stop()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        thread.submit(UnownedJob(job))
    }

    /// Traps unless called on this executor's thread: lets `assumeIsolated` work in its jobs.
    public func checkIsolated() {
        precondition(thread.isCurrent, "not on the \(thread.name) thread")
    }

    /// Runs the jobs already queued, ends the thread and waits for it (when called from another
    /// thread). Call it once collection has stopped.
    public func stop() {
        thread.stop()
    }

    /// Whether the caller runs on this executor's thread.
    public var isCurrent: Bool { thread.isCurrent }
}
