import SmoothTaskBPF

/// The kernel switch that makes it count each eBPF program's runs and run time, as the daemon sees it.
///
/// The daemon only reads it: turning it on (BPF_ENABLE_STATS or the sysctl) needs CAP_SYS_ADMIN,
/// which the daemon must not hold, and the counting itself costs every program run on the machine.
public enum BPFStatisticsSwitch {
    /// True when `kernel.bpf_stats_enabled` is 1.
    public static var isOn: Bool { BPFRuntimeStatistics.kernelKeepsStatistics() }

    /// How to read the kernel's figures when the switch is on, or how to turn it on when it is off.
    public static func note(isOn: Bool) -> String {
        if isOn {
            return "kernel figures are an upper bound: run_time_ns includes the kernel's own timing of each run "
                + "(tens of ns); the counting itself adds to every program run while kernel.bpf_stats_enabled=1"
        }
        return "kernel.bpf_stats_enabled is 0, so the kernel is not counting program runs; to see them, run "
            + "`sysctl kernel.bpf_stats_enabled=1` as root (it costs every eBPF program on the machine some ns "
            + "per run; `sysctl kernel.bpf_stats_enabled=0` turns it off again)"
    }
}
