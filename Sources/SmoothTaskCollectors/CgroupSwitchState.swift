import CSmoothTaskBPFTypes

/// One CPU's slot of the `cgroup_switch` map: `struct cgroup_switch_state` of bpf/cgroup_cpu.h,
/// imported from the header the program is compiled with.
typealias CgroupSwitchState = cgroup_switch_state
