/// Swift mirror of `struct cgroup_switch_state` in bpf/cgroup_cpu.h: one CPU's slot of the
/// `cgroup_switch` map. Field order and widths must match the C struct; a test compares sizes.
struct CgroupSwitchState: BitwiseCopyable, Equatable {
    /// CLOCK_MONOTONIC nanoseconds of the latest switch; 0 when none was seen since the slot was zeroed.
    var lastSwitchNanoseconds: UInt64 = 0
    /// cgroup id of the task running since ``lastSwitchNanoseconds``; 0 for idle.
    var runningCgroup: UInt64 = 0
    /// On-CPU intervals this CPU could not charge because `cgroup_cpu_ns` was full.
    var dropped: UInt64 = 0
}
