import CAllocatorTuning
import SmoothTaskCollectors

/// Trims the malloc heap after a burst, checked once per collection: when malloc's free heap grew
/// ``growthBytes`` since the previous check (a burst ended), or the resident set grew that much since
/// the last trim while the heap holds that much free (a burst came and went between two checks).
///
/// A burst of clients (a thousand connections, each with its channel, buffers and task) frees its
/// memory when it ends, but glibc gives back only the top of the main heap on its own (measured: 70
/// MiB still resident after a 1,000-connection burst, 12 MiB after `malloc_trim(0)`). The free total
/// alone does not decide: it stays high after a trim (the chunks stay in malloc's bins, only their
/// pages go back), so it would trim, walking every bin and advising each free chunk's pages again, at
/// every collection from the first burst on. glibc's arena count and mmap threshold are set before
/// `main` (allocator_tuning.c, so before any thread exists).
///
/// The code a burst or start-up ran stays resident too, 64 KiB around each page it touched (the
/// kernel's fault-around): a trim and the first check also unmap the binary's code pages, and the
/// code run from then on comes back from the page cache (measured with link-order/, which keeps that
/// code together: 9.5 MiB of text resident after a burst without the release, 4.8 MiB with it).
struct HeapTrim {
    /// Growth that triggers a trim: 4 MiB, above what a collection's own allocations move, far below
    /// a burst's.
    static let growthBytes = 4 << 20

    /// The resident size after the last trim, or the lowest seen since; `nil` before the first check.
    private var settledResidentBytes: UInt64?
    /// malloc's free heap at the previous check.
    private var previousFreeBytes = 0
    /// Whether start-up's code pages were released, at the first check (after the first collection).
    private var releasedStartupCode = false

    /// Trims if a burst ended or came and went since the last check; `residentBytes` is the resident
    /// size now (``SelfUsage/rssBytes``), `reading` measures it again after a trim. Returns whether it trimmed.
    @discardableResult
    mutating func check(residentBytes: UInt64, reading: () -> UInt64? = { try? SelfUsage.read().rssBytes }) -> Bool {
        let free = smoothtask_free_heap_bytes()
        defer { previousFreeBytes = free }
        let settled = min(settledResidentBytes ?? residentBytes, residentBytes)
        settledResidentBytes = settled
        let burstEnded = free > previousFreeBytes + Self.growthBytes
        let burstPassed = residentBytes > settled + UInt64(Self.growthBytes) && free > Self.growthBytes
        if !releasedStartupCode {
            releasedStartupCode = true
            _ = smoothtask_release_code_pages()
        }
        guard burstEnded || burstPassed else { return false }
        _ = smoothtask_trim()
        _ = smoothtask_release_code_pages()
        settledResidentBytes = reading() ?? residentBytes
        return true
    }
}
