import CAllocatorTuning
import SmoothTaskCollectors

/// Trims the malloc heap after a burst, checked once per collection: when the daemon's resident
/// memory grew ``growthBytes`` since the last trim and malloc holds at least that much free.
///
/// A burst of clients (a thousand connections, each with its channel, buffers and task) frees its
/// memory when it ends, but glibc gives back only the top of the main heap on its own (measured: 70
/// MiB still resident after a 1,000-connection burst, 12 MiB after `malloc_trim(0)`). Growth of the
/// resident set, not the free total, decides: the free total stays high after a trim (the chunks stay
/// in malloc's bins, only their pages go back), so it would trim, walking every bin and advising
/// each free chunk's pages again, at every collection from the first burst on. glibc's arena count
/// and mmap threshold are set before `main` (allocator_tuning.c, so before any thread exists).
struct HeapTrim {
    /// Resident growth, and free heap, that trigger a trim: 4 MiB, above what a collection's own
    /// allocations move, far below a burst's.
    static let growthBytes = 4 << 20

    /// The resident size after the last trim, or the lowest seen since; `nil` before the first check.
    private var settledResidentBytes: UInt64?

    /// Trims if the resident size, `residentBytes` now (``SelfUsage/rssBytes``), grew ``growthBytes``
    /// since the last trim and the heap holds that much free; `reading` measures it again afterwards.
    mutating func check(residentBytes: UInt64, reading: () -> UInt64? = { try? SelfUsage.read().rssBytes }) {
        guard let settled = settledResidentBytes, residentBytes > settled else {
            settledResidentBytes = residentBytes
            return
        }
        guard residentBytes - settled > Self.growthBytes, smoothtask_free_heap_bytes() > Self.growthBytes else { return }
        _ = smoothtask_trim()
        settledResidentBytes = reading() ?? residentBytes
    }
}
