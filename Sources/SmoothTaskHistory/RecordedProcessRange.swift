import SmoothTaskModel

/// Every process recorded over a range, each with its window figures summed over the collections
/// of the range (`processes.top {"from", "to"}` sorts and cuts these).
public struct RecordedProcessRange: Sendable {
    /// Collections whose windows the sums cover, and the milliseconds those windows add up to.
    public var collections: Int
    public var coveredMilliseconds: Int64
    /// Unix epoch milliseconds of the newest collection used (`nil` when none).
    public var newest: Int64?
    /// One row per process: identity, exit fields and final totals of an exited one, window columns
    /// summed over the range; ``ProcessActivity/user`` is left for the caller to name.
    public var processes: [ProcessActivity]
    /// Every figure summed over the range per process (disk and network bytes included), same order as ``processes``.
    public var sums: [ProcessTotals]
}
