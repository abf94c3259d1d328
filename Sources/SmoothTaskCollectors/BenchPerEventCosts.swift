/// What one run of each program costs on the reference machine, as `make bench` measured it
/// (BENCHMARKS.md, "Per-event cost of each of our eBPF programs"): the overhead budget's last resort
/// when neither the kernel counts run time nor the start-up self-test could run.
///
/// Keyed by `object/tracepoint`, since the C function names are the objects' business. The figures
/// are upper bounds (they include bpf_stats' own timing). Rare events the bench could not provoke
/// (reclaim, OOM kills) have none. The three areas on sched_switch share one program
/// (``SchedulerObject``): each figure is its share of that program's 200.9 ns with all three on, split
/// by ``SchedulerFeature/shareWeight`` as the measured rows are.
enum BenchPerEventCosts {
    /// The machine class the figures were measured on.
    static let machine = "make bench on a 2-CPU Intel Xeon, Linux 6.18 (BENCHMARKS.md)"

    /// Nanoseconds per run, by `object/tracepoint`.
    static let nanosecondsPerEvent: [String: Double] = [
        "process_lifecycle/sched_process_exec": 2750.0,
        "process_lifecycle/sched_process_exit": 3542.6,
        "cpu_metrics/sched_switch": 63.8,
        "syscalls/sys_exit": 71.0,
        "memory_events/page_fault_user": 120.6,
        "disk_metrics/block_io_start": 651.0,
        "disk_metrics/block_rq_issue": 190.6,
        "disk_metrics/block_rq_complete": 742.6,
        "network_metrics/sock_send_length": 86.1,
        "network_metrics/sock_recv_length": 103.5,
        "network_metrics/net_dev_xmit": 101.9,
        "network_metrics/netif_receive_skb": 125.3,
        "network_metrics/tcp_retransmit_skb": 294.0,
        "cgroup_cpu/sched_switch": 63.8,
        "sched_latency/sched_switch": 73.3,
        "sched_latency/sched_wakeup": 90.2,
        "sched_latency/sched_wakeup_new": 1136.3,
    ]

    /// The figure for `object`'s program on `hook` (a section name such as `tp_btf/sched_switch`).
    static func figure(object: String, hook: String) -> Double? {
        nanosecondsPerEvent["\(object)/\(HookEvent.tracepoint(of: hook))"]
    }
}
