#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns per-process counters read from an LRU map into what each process did in one window, and
/// keeps both the map and the baseline bounded by the live processes: an entry that did not change
/// in a window and whose process has exited is dropped from both.
struct ProcessWindow<Counters: CumulativeCounters> {
    private var previous: [UInt32: Counters] = [:]

    /// Starts a window at `current`.
    mutating func restart(at current: [UInt32: Counters]) {
        previous = current
    }

    /// What each process that changed did since the previous reading; starts the next window.
    /// - Parameter forget: deletes an exited process's map entry.
    mutating func advance(to current: [UInt32: Counters], forget: (UInt32) -> Void) -> [(tgid: UInt32, delta: Counters)] {
        var changed: [(tgid: UInt32, delta: Counters)] = []
        var kept = current
        for (tgid, counters) in current {
            guard let before = previous[tgid] else {
                changed.append((tgid, counters))
                continue
            }
            if before.hasSameCounts(as: counters) {
                if kill(pid_t(bitPattern: tgid), 0) != 0, errno == ESRCH {
                    forget(tgid)
                    kept[tgid] = nil
                }
                continue
            }
            changed.append((tgid, counters.subtracting(before)))
        }
        previous = kept
        return changed
    }
}
