/// Swift mirror of `struct cpu_switch_accounting` in bpf/cpu_metrics.h: one CPU's slot of the
/// `cpu_accounting` map. Field order and widths must match the C struct; a test compares sizes.
struct CPUSwitchAccounting: BitwiseCopyable, Equatable {
    /// Nanoseconds a non-idle task ran, up to ``lastSwitchNanoseconds``.
    var busyNanoseconds: UInt64 = 0
    /// Nanoseconds the idle task ran, up to ``lastSwitchNanoseconds``.
    var idleNanoseconds: UInt64 = 0
    /// CLOCK_MONOTONIC nanoseconds of the latest switch; 0 when none was seen since the slot was zeroed.
    var lastSwitchNanoseconds: UInt64 = 0
    /// tgid of the task running since ``lastSwitchNanoseconds``; 0 for idle.
    var runningTGID: UInt32 = 0
    /// 1 while the idle task runs.
    var runningIdle: UInt32 = 0
}
