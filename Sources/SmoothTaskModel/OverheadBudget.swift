/// The promise `max_overhead_percent` makes, and how the daemon keeps it: its estimate of what it
/// and each eBPF program cost, and the programs it has shed to stay within the budget.
///
/// Shedding order (``sheddingOrder``): the optional objects, most expensive first as estimated at
/// that moment; then `cpu_metrics`, whose CPU figures fall back to /proc/stat (its per-process CPU
/// is then unavailable); never `process_lifecycle`, which every per-process figure needs and which
/// runs only on exec and exit. Programs come back the last shed first: once the estimate with one
/// or more of them included (``ShedProgram/restoreEstimatePercent``) stays below ``restoreFraction``
/// of the budget for ``restoreAfterCollections`` collections in a row, those that fit come back together.
public struct OverheadBudget: Codable, Sendable, Equatable {
    /// A shed program comes back only while the estimate with it stays below this fraction of the
    /// budget: the gap keeps a load near the budget from switching it on and off every collection.
    /// The estimate with it counts everything restoring adds (its kernel cost at the current rates
    /// and the daemon's reading of its maps) and the daemon's steady share, not one window's, so the
    /// gap needs to cover only noise: 0.7 left a debug daemon (~0.4% of a CPU) no room under a 0.5% budget.
    public static let restoreFraction = 0.9
    /// Collections in a row the estimate must stay below ``restoreFraction`` before one program comes back.
    public static let restoreAfterCollections = 3

    /// The budget, percent of one CPU (`max_overhead_percent`); 0 means no limit.
    public var limitPercent: Double
    /// The estimate: the daemon's own CPU plus every attached program's, percent of one CPU.
    public var estimatePercent: Double
    /// The daemon's own CPU over ``windowMilliseconds`` (getrusage), percent of one CPU.
    public var daemonPercent: Double
    /// The attached programs' estimated kernel time, percent of one CPU.
    public var programsPercent: Double
    /// Milliseconds the estimate covers: the latest collection's window.
    public var windowMilliseconds: Int64
    /// Each program's estimate, attached or shed.
    public var programs: [ProgramCostEstimate]
    /// What is shed now, in the order it was shed.
    public var shed: [ShedProgram]
    /// The objects the budget may shed, in the order it would at this moment's estimates.
    public var sheddingOrder: [String]

    /// Creates a budget report.
    public init(
        limitPercent: Double, estimatePercent: Double, daemonPercent: Double, programsPercent: Double,
        windowMilliseconds: Int64, programs: [ProgramCostEstimate], shed: [ShedProgram], sheddingOrder: [String]
    ) {
        self.limitPercent = limitPercent
        self.estimatePercent = estimatePercent
        self.daemonPercent = daemonPercent
        self.programsPercent = programsPercent
        self.windowMilliseconds = windowMilliseconds
        self.programs = programs
        self.shed = shed
        self.sheddingOrder = sheddingOrder
    }

    enum CodingKeys: String, CodingKey {
        case programs, shed
        case limitPercent = "limit_percent"
        case estimatePercent = "estimate_percent"
        case daemonPercent = "daemon_percent"
        case programsPercent = "programs_percent"
        case windowMilliseconds = "window_ms"
        case sheddingOrder = "shedding_order"
    }
}
