#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One POSIX thread that runs the jobs handed to it, in order, one at a time: the engine of
/// ``CollectionExecutor``.
///
/// The thread starts with the first job. ``stop()`` lets the jobs already queued run, then the thread
/// exits and ``stop()`` returns. A job that still arrives after that (a collector called during
/// shutdown) starts a thread again that exits as soon as the queue is empty, so no job is ever lost
/// and at most one thread runs jobs at any time.
final class DedicatedThread: @unchecked Sendable {
    // Everything below is guarded by `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when a job arrives or a stop is asked for.
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Broadcast when the thread exits.
    private let threadExited = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var thread: pthread_t?
    private var stopRequested = false

    /// The name the thread carries in /proc/PID/task/TID/comm and in `top -H` (at most 15 bytes).
    let name: String
    /// Runs one job; set once, before the first job arrives.
    private let run: @Sendable (UnownedJob) -> Void

    init(name: String, run: @escaping @Sendable (UnownedJob) -> Void) {
        self.name = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        self.run = run
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(threadExited, nil)
    }

    deinit {
        // The running thread holds a reference, so it has exited by now.
        pthread_cond_destroy(threadExited)
        pthread_cond_destroy(workAvailable)
        pthread_mutex_destroy(mutex)
        threadExited.deallocate()
        workAvailable.deallocate()
        mutex.deallocate()
    }

    /// Queues `job` and starts the thread if none runs.
    func submit(_ job: UnownedJob) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        jobs.append(job)
        if thread == nil {
            startThread()
        } else {
            pthread_cond_signal(workAvailable)
        }
    }

    /// Runs the queued jobs, ends the thread and waits for it to exit (unless called from the thread
    /// itself, which then exits once this job returns).
    func stop() {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        stopRequested = true
        pthread_cond_signal(workAvailable)
        guard !isCurrentLocked else { return }
        while thread != nil {
            pthread_cond_wait(threadExited, mutex)
        }
    }

    /// Whether the caller runs on this thread.
    var isCurrent: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return isCurrentLocked
    }

    private var isCurrentLocked: Bool {
        thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// Called with `mutex` held.
    private func startThread() {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        // Nobody joins it: stop() waits on `threadExited` instead, which also works after a restart.
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var created = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&created, &attributes, { context in
            let owner = Unmanaged<DedicatedThread>.fromOpaque(context!).takeRetainedValue()
            owner.work()
            return nil
        }, context)
        // Without a thread no collection could ever run again: nothing sensible is left to do.
        precondition(result == 0, "pthread_create failed for \(name): \(String(cString: strerror(result)))")
        thread = created
    }

    /// Names the calling thread. Through /proc because Swift's Glibc does not import
    /// `pthread_setname_np` (a GNU extension); a failure only leaves the process's name on it.
    static func nameCurrentThread(_ name: String) {
        let name = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = Array(name.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The thread's body: runs batches of jobs until stopped and idle.
    private func work() {
        Self.nameCurrentThread(name)
        pthread_mutex_lock(mutex)
        while true {
            while jobs.isEmpty, !stopRequested {
                pthread_cond_wait(workAvailable, mutex)
            }
            if jobs.isEmpty {
                thread = nil
                pthread_cond_broadcast(threadExited)
                pthread_mutex_unlock(mutex)
                return
            }
            let batch = jobs
            jobs = []
            pthread_mutex_unlock(mutex)
            for job in batch { run(job) }
            pthread_mutex_lock(mutex)
        }
    }
}
