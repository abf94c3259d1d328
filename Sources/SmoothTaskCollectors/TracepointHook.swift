/// One program of a ``TracepointProgramGroup`` and the tracepoint it attaches to.
struct TracepointHook: Sendable, Equatable {
    /// The C function's name in the object, e.g. `record_wakeup`.
    var program: String
    /// The tracepoint, e.g. `sched_switch`; the section is `tp_btf/<tracepoint>`.
    var tracepoint: String
    /// What is lost without it, when the group can work without it; `nil` when the group needs it.
    var lossWhenMissing: String?
}
