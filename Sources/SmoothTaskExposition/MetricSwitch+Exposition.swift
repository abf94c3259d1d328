import SmoothTaskModel

extension MetricSwitch {
    /// The prefix of every Prometheus family this switch turns on or off (`smoothtask_disk`,
    /// `smoothtask_sched_latency`...): the catalog names an area's families from its switch, so
    /// they are found by it, and a new ``MetricSwitch`` case does not compile until it has one.
    public var familyPrefix: String {
        switch self {
        case .cpu: "smoothtask_cpu"
        case .memory: "smoothtask_memory"
        case .syscalls: "smoothtask_syscalls"
        case .schedLatency: "smoothtask_sched_latency"
        case .disk: "smoothtask_disk"
        case .network: "smoothtask_network"
        case .cgroups: "smoothtask_cgroup"
        }
    }

    /// The family `<prefix>_<suffix>`.
    func family(_ suffix: String) -> String { familyPrefix + "_" + suffix }
}
