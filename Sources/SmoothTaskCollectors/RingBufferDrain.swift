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
/// its own every ``pollMilliseconds``: about once a second whatever the event rate.
final class RingBufferDrain: @unchecked Sendable {
    /// How often the buffer is read when the kernel does not wake the thread. A storm wakes it at
    /// half full and each collection reads what is left, so the timeout only bounds how long a few
    /// records wait in the kernel: once a second is often enough, and every wakeup is daemon CPU
    /// (ten a second were about a tenth of an idle debug daemon's cost).
    static let pollMilliseconds: Int32 = 1000

    private let ring: BPFRingBuffer
    /// Where each round's CPU is counted: reading exits is monitoring work.
    private let cpu: MonitoringCPU
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    /// A pipe whose write end ``stop()`` writes to, so the thread need not sit out the rest of its
    /// ``pollMilliseconds``: `[read, write]`, `-1` each if it could not be made.
    private let wakePipe: [Int32] = {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return [-1, -1] }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return descriptors
    }()
    private var thread: pthread_t?

    private let name: String

    /// Starts reading `ring` on a new thread named `name`.
    init(ring: BPFRingBuffer, name: String, cpu: MonitoringCPU, logger: Logger) {
        self.ring = ring
        self.cpu = cpu
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
        if wakePipe[1] >= 0 {
            var byte: UInt8 = 1
            _ = write(wakePipe[1], &byte, 1)
        }
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    deinit {
        for descriptor in wakePipe where descriptor >= 0 { close(descriptor) }
    }

    private func run() {
        DedicatedThread.nameCurrentThread(name)
        while !stopRequested.load(ordering: .relaxed) {
            ring.wait(timeoutMilliseconds: Self.pollMilliseconds, orUntilReadable: wakePipe[0] >= 0 ? wakePipe[0] : nil)
            do throws(BPFError) {
                _ = try cpu.measure { () throws(BPFError) in try ring.consume() }
            } catch {
                logger.warning("Reading a ring buffer failed", metadata: ["map": "\(ring.map.name)", "error": "\(error)"])
                usleep(UInt32(Self.pollMilliseconds) * 1000)
            }
        }
        _ = try? ring.consume()
    }
}
