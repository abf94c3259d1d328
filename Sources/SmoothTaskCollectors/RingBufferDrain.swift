#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import SmoothTaskBPF
import Synchronization

/// A thread that reads a ring buffer continuously, so the kernel's buffer never waits for a
/// collection (which may be 10 s apart) and a storm of exits is read while it happens; a collection
/// reads what is left itself (``BPFRingBuffer/consume()``), so it misses no record already sent.
///
/// The programs submit without waking anyone until the buffer is half full, so the thread wakes on
/// its own every ``pollMilliseconds``: a few wakeups a second whatever the event rate.
final class RingBufferDrain: @unchecked Sendable {
    /// How often the buffer is read when the kernel does not wake the thread.
    static let pollMilliseconds: Int32 = 100

    private let ring: BPFRingBuffer
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private var thread: pthread_t?

    private let name: String

    /// Starts reading `ring` on a new thread named `name`.
    init(ring: BPFRingBuffer, name: String, logger: Logger) {
        self.ring = ring
        self.name = name
        self.logger = logger
        var created = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&created, nil, { context in
            let drain = Unmanaged<RingBufferDrain>.fromOpaque(context!).takeRetainedValue()
            drain.run()
            return nil
        }, context)
        if result == 0 {
            thread = created
        } else {
            Unmanaged<RingBufferDrain>.fromOpaque(context).release()
            logger.error("Could not start the ring buffer thread", metadata: ["name": "\(name)", "errno": "\(result)"])
        }
    }

    /// Reads what is left, stops the thread and waits for it.
    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func run() {
        DedicatedThread.nameCurrentThread(name)
        while !stopRequested.load(ordering: .relaxed) {
            ring.wait(timeoutMilliseconds: Self.pollMilliseconds)
            do throws(BPFError) {
                try ring.consume()
            } catch {
                logger.warning("Reading a ring buffer failed", metadata: ["map": "\(ring.map.name)", "error": "\(error)"])
                usleep(UInt32(Self.pollMilliseconds) * 1000)
            }
        }
        _ = try? ring.consume()
    }
}
