/// Every live process's counters at one instant (``ProcessLifecycleProgram/reading()``).
struct ProcessCountersReading: Sendable {
    /// Counters per tgid, since the process started or since the maps were created.
    var perProcess: [UInt32: ProcessCounters]
    /// CLOCK_MONOTONIC nanoseconds of the reading.
    var takenAtNanoseconds: UInt64
}
