import CSmoothTaskBPFTypes

/// One CPU's slot of the `cpu_accounting` map: `struct cpu_switch_accounting` of bpf/cpu_metrics.h,
/// imported from the header the program is compiled with.
typealias CPUSwitchAccounting = cpu_switch_accounting
