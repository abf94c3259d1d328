/// An eBPF object the overhead budget has detached, since when and why.
///
/// Its figures are `null` meanwhile, with the same reason in `unavailable`; it comes back by
/// itself once the estimate with it (``restoreEstimatePercent``) stays below
/// ``OverheadBudget/restoreFraction`` of the budget.
public struct ShedProgram: Codable, Sendable, Equatable {
    /// The object, e.g. `syscalls`.
    public var object: String
    /// The configuration switch whose figures it stops, e.g. `enable_syscall_monitoring` (still on).
    public var configKey: String
    /// When it was shed, milliseconds since the Unix epoch.
    public var sinceMilliseconds: Int64
    /// Why: the estimate, the budget and the object's own share at that moment.
    public var reason: String
    /// The estimate, percent of one CPU, were it back now: the daemon's steady share, the attached
    /// programs, its kernel cost at the current event rates and what reading its maps cost the
    /// daemon per collection when it last ran, plus those shed after it that would come back first.
    /// `nil` until an evaluation after it was shed.
    public var restoreEstimatePercent: Double?

    /// Creates a shed entry.
    public init(object: String, configKey: String, sinceMilliseconds: Int64, reason: String, restoreEstimatePercent: Double? = nil) {
        self.object = object
        self.configKey = configKey
        self.sinceMilliseconds = sinceMilliseconds
        self.reason = reason
        self.restoreEstimatePercent = restoreEstimatePercent
    }

    enum CodingKeys: String, CodingKey {
        case object, reason
        case configKey = "config_key"
        case sinceMilliseconds = "since_ms"
        case restoreEstimatePercent = "restore_estimate_percent"
    }
}
