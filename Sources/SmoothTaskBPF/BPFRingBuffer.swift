#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF
import Synchronization

/// Reads the records a BPF program submits to a `BPF_MAP_TYPE_RINGBUF` map (libbpf's
/// `ring_buffer`): each record is handed to `handler` as raw bytes while its slot is still reserved,
/// so the handler copies what it keeps.
///
/// Safe to share between threads: one may block in ``wait(timeoutMilliseconds:)`` while another
/// calls ``consume()``; reading is serialized (libbpf's ring buffer is not thread-safe), waiting is not.
public final class BPFRingBuffer: @unchecked Sendable {
    private final class Handler {
        let body: (UnsafeRawBufferPointer) -> Void
        init(body: @escaping (UnsafeRawBufferPointer) -> Void) { self.body = body }
    }

    private let pointer: OpaquePointer
    private let handler: Unmanaged<Handler>
    private let reading = Mutex(())
    /// The ring buffer map; keeps its object (and the map) alive while records are read.
    public let map: BPFMap

    /// Opens `map` (a loaded `BPF_MAP_TYPE_RINGBUF`) for reading.
    public init(map: BPFMap, handler: @escaping (UnsafeRawBufferPointer) -> Void) throws(BPFError) {
        let box = Unmanaged.passRetained(Handler(body: handler))
        let callback: ring_buffer_sample_fn = { context, data, size in
            guard let context, let data else { return 0 }
            Unmanaged<Handler>.fromOpaque(context).takeUnretainedValue()
                .body(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        guard let ring = ring_buffer__new(map.fileDescriptor, callback, box.toOpaque(), nil) else {
            let code = Glibc.errno
            box.release()
            throw .mapAccessFailed(map: map.name, operation: "opening the ring buffer", errno: code)
        }
        self.pointer = ring
        self.handler = box
        self.map = map
    }

    deinit {
        ring_buffer__free(pointer)
        handler.release()
    }

    /// Waits up to `timeoutMilliseconds` for the kernel to signal new records (programs that submit
    /// with `BPF_RB_NO_WAKEUP` do not signal), or for `other` (a descriptor the caller signals, such
    /// as an eventfd, to end the wait early) to turn readable, without reading anything.
    public func wait(timeoutMilliseconds: Int32, orUntilReadable other: Int32? = nil) {
        // libbpf's epoll descriptor turns readable when a ring has data and its program woke it.
        var descriptors = [pollfd(fd: ring_buffer__epoll_fd(pointer), events: Int16(POLLIN), revents: 0)]
        if let other { descriptors.append(pollfd(fd: other, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
    }

    /// Reads every record there is now, without waiting. Returns how many it read.
    @discardableResult
    public func consume() throws(BPFError) -> Int {
        let read = reading.withLock { _ in ring_buffer__consume(pointer) }
        guard read >= 0 else {
            throw .mapAccessFailed(map: map.name, operation: "reading the ring buffer", errno: -read)
        }
        return Int(read)
    }
}
