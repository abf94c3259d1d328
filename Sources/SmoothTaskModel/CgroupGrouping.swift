/// How `cgroups.top` groups CPU time: per cgroup, or rolled up into systemd units.
public enum CgroupGrouping: String, Codable, Sendable, CaseIterable {
    /// One row per cgroup that ran tasks.
    case cgroup
    /// One row per systemd unit: each cgroup is added to the deepest `.service`, `.scope`, `.slice`
    /// (or other unit) directory on its path; cgroups outside any unit stay rows of their own.
    case unit
}
