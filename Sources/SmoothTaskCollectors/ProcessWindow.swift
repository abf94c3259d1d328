#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns per-process counters read from an LRU map into what each process did in one window, and
/// keeps both the map and the baseline bounded by the live processes: an entry that did not change
/// in a window and whose process has exited is dropped from both.
///
/// Every unchanged entry is checked for exit (a `kill(pid, 0)`) each window: checking idle ones
/// only in turns was tried and let a burst of exited processes whose entries had once stood still
/// stay in the map, which is read whole every tick, for several windows (a costlier tick than the
/// syscalls it saved).
struct ProcessWindow<Counters: CumulativeCounters> {
    private var previous: [UInt32: Counters] = [:]
    /// The baseline ``advance(to:largest:by:forget:)`` replaced, which nothing else holds: the caller
    /// reads the next window's map into it (``takeSpare()``) instead of a new dictionary, which at
    /// 10,000 processes was megabytes mapped, faulted and zeroed again every tick.
    private var spare: [UInt32: Counters] = [:]

    /// The dictionary to read the next reading into; empty the first time.
    mutating func takeSpare() -> [UInt32: Counters] {
        defer { spare = [:] }
        return spare
    }

    /// Starts a window at `current`.
    mutating func restart(at current: [UInt32: Counters]) {
        previous = current
        spare = [:]
    }

    /// The `limit` processes that did the most in the window by `figure` (above 0), largest first,
    /// ties by the smaller tgid, each with what it did since the previous reading; starts the next window.
    ///
    /// A selection rather than a list of every change to sort: with 10,000 processes waiting each
    /// window, copying and sorting every 300-byte histogram delta was a quarter of a collection tick.
    /// - Parameter forget: deletes an exited process's map entry.
    mutating func advance(
        to current: [UInt32: Counters], largest limit: Int, by figure: (Counters) -> UInt64, forget: (UInt32) -> Void
    ) -> [(tgid: UInt32, delta: Counters)] {
        var largest = LargestSelection<Counters>(limit: limit)
        var gone: [UInt32] = []
        for (tgid, counters) in current {
            guard let before = previous[tgid] else {
                largest.offer(figure(counters), pid: tgid) { counters }
                continue
            }
            if before.hasSameCounts(as: counters) {
                if kill(pid_t(bitPattern: tgid), 0) != 0, errno == ESRCH {
                    forget(tgid)
                    gone.append(tgid)
                }
                continue
            }
            let delta = counters.subtracting(before)
            largest.offer(figure(delta), pid: tgid) { delta }
        }
        // The reading itself becomes the baseline (no copy of it), less the few entries just forgotten.
        spare = previous
        previous = current
        for tgid in gone { previous[tgid] = nil }
        return largest.rows.map { ($0.pid, $0.row) }
    }
}
