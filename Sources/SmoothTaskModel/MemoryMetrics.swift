/// Memory figures beyond `memory_usage`: the system's from procfs and the events the eBPF
/// `memory_events` program counts. Either part is `nil` when it cannot be had, with the reason in
/// ``unavailable`` under `system` or `events`.
public struct MemoryMetrics: Codable, Sendable, Equatable {
    /// System-wide figures from /proc/meminfo and /proc/pressure/memory.
    public var system: SystemMemory?
    /// Page faults, reclaim stalls and OOM kills counted in the kernel.
    public var events: MemoryEventMetrics?
    /// Why ``system`` or ``events`` is missing, keyed `system` or `events`.
    public var unavailable: [String: String]

    /// Creates memory figures.
    public init(system: SystemMemory?, events: MemoryEventMetrics?, unavailable: [String: String] = [:]) {
        self.system = system
        self.events = events
        self.unavailable = unavailable
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(system, forKey: .system)
        try container.encode(events, forKey: .events)
        try container.encode(unavailable, forKey: .unavailable)
    }
}
