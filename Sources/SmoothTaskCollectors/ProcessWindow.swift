#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns per-process counters read from an LRU map into what each process did in one window, and
/// keeps both the map and the baseline bounded by the live processes: an entry that did not change
/// in a window and whose process has exited is dropped from both (the first window it stands still,
/// or within ``exitCheckPeriod`` windows for one already found idle and alive).
struct ProcessWindow<Counters: CumulativeCounters> {
    private var previous: [UInt32: Counters] = [:]
    /// Entries that stood still in an earlier window while their process was alive: checked for
    /// exit only in their turn (``exitCheckPeriod``) until they change again.
    private var settled: Set<UInt32> = []
    /// Windows advanced so far: picks which settled entries this window checks for exit.
    private var windows: UInt32 = 0

    /// A settled entry is checked for its process's exit (a `kill(pid, 0)`) every this many windows,
    /// each window a different eighth of them: checking every idle process of the machine each
    /// second was a syscall per process per tick. An entry that just stopped changing is checked at
    /// once, so the entries of a burst of exited processes leave the map (which is read whole every
    /// tick) in the next window; a settled process that exits leaves its entry a few windows longer,
    /// holding one slot of the LRU map (a reused pid continues its counts, which the baseline follows).
    static var exitCheckPeriod: UInt32 { 8 }

    /// Starts a window at `current`.
    mutating func restart(at current: [UInt32: Counters]) {
        previous = current
        settled = []
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
        windows &+= 1
        for (tgid, counters) in current {
            guard let before = previous[tgid] else {
                if !settled.isEmpty { settled.remove(tgid) }
                largest.offer(figure(counters), pid: tgid) { counters }
                continue
            }
            if before.hasSameCounts(as: counters) {
                let isSettled = settled.contains(tgid)
                guard !isSettled || (tgid &+ windows) % Self.exitCheckPeriod == 0 else { continue }
                if kill(pid_t(bitPattern: tgid), 0) != 0, errno == ESRCH {
                    forget(tgid)
                    gone.append(tgid)
                    if isSettled { settled.remove(tgid) }
                } else if !isSettled {
                    settled.insert(tgid)
                }
                continue
            }
            if !settled.isEmpty { settled.remove(tgid) }
            let delta = counters.subtracting(before)
            largest.offer(figure(delta), pid: tgid) { delta }
        }
        // The reading itself becomes the baseline (no copy of it), less the few entries just forgotten.
        previous = current
        for tgid in gone { previous[tgid] = nil }
        // Entries the LRU evicted leave no trace otherwise.
        if settled.count > previous.count { settled = settled.filter { previous[$0] != nil } }
        return largest.rows.map { ($0.pid, $0.row) }
    }
}
