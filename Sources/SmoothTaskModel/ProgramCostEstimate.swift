/// One eBPF program's share of the overhead budget: how often its hook fires times what one run costs.
public struct ProgramCostEstimate: Codable, Sendable, Equatable {
    /// `object/program`, as in ``ProgramOverhead/name``.
    public var name: String
    /// The object (`bpf/NAME.bpf.c`) the budget attaches and detaches as a whole.
    public var object: String
    /// The program's ELF section, which names its hook.
    public var hook: String
    /// True while it runs; a detached program's ``percent`` is what it would cost if it came back.
    public var attached: Bool
    /// Events per second on its hook over the latest window; `nil` when nothing counts them.
    public var eventsPerSecond: Double?
    /// What counted the events, e.g. `run_cnt`, `/proc/stat ctxt`, `syscalls' own count`.
    public var rateSource: String
    /// Nanoseconds one run costs; `nil` when no figure is known (``costSource`` is then `unknown`).
    public var nanosecondsPerEvent: Double?
    /// How ``nanosecondsPerEvent`` was obtained.
    public var costSource: CostSource
    /// Percent of one CPU: events per second times nanoseconds per event; `nil` when either is unknown.
    public var percent: Double?

    /// Creates one program's estimate.
    public init(
        name: String, object: String, hook: String, attached: Bool, eventsPerSecond: Double?, rateSource: String,
        nanosecondsPerEvent: Double?, costSource: CostSource, percent: Double?
    ) {
        self.name = name
        self.object = object
        self.hook = hook
        self.attached = attached
        self.eventsPerSecond = eventsPerSecond
        self.rateSource = rateSource
        self.nanosecondsPerEvent = nanosecondsPerEvent
        self.costSource = costSource
        self.percent = percent
    }

    enum CodingKeys: String, CodingKey {
        case name, object, hook, attached, percent
        case eventsPerSecond = "events_per_s"
        case rateSource = "rate_source"
        case nanosecondsPerEvent = "ns_per_event"
        case costSource = "cost_source"
    }

    // Unknown figures are written as null, so a reader sees the key and knows it is missing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(object, forKey: .object)
        try container.encode(hook, forKey: .hook)
        try container.encode(attached, forKey: .attached)
        try container.encode(eventsPerSecond, forKey: .eventsPerSecond)
        try container.encode(rateSource, forKey: .rateSource)
        try container.encode(nanosecondsPerEvent, forKey: .nanosecondsPerEvent)
        try container.encode(costSource, forKey: .costSource)
        try container.encode(percent, forKey: .percent)
    }
}
