/// Where a program's per-event cost in the overhead budget comes from, best first.
public enum CostSource: String, Codable, Sendable, CaseIterable {
    /// The kernel's own counters over the latest window (`run_time_ns / run_cnt` while
    /// `kernel.bpf_stats_enabled=1`), or the last such window while the program was running.
    case measured
    /// The daemon's start-up self-test: a fraction of a second of known syscalls and context
    /// switches with `BPF_ENABLE_STATS` held (only a daemon with CAP_SYS_ADMIN can run it).
    case calibrated
    /// The figure `make bench` measured on the reference machine (BENCHMARKS.md), for this machine class.
    case bench
    /// No figure: the program counts as costing nothing, and says so.
    case unknown
}
