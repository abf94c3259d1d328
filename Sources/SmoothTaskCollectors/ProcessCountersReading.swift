/// Every live process's counters at one instant (``ProcessLifecycleProgram/reading()``).
struct ProcessCountersReading: Sendable {
    /// Counters per tgid, since the process started or since the maps were created.
    var perProcess: [UInt32: ProcessCounters]
    /// Execs each process made while counted: a change means its name may have changed.
    var execs: [UInt32: UInt32] = [:]
    /// The per-CPU busy/idle accounting read with them, so the system's busy time and the
    /// processes' CPU of a window cover the same instants.
    var schedSwitch: SchedSwitchSnapshot
    /// CLOCK_BOOTTIME nanoseconds when the reading began: exits after it may be partly in it.
    var startedBoottimeNanoseconds: UInt64
    /// CLOCK_MONOTONIC nanoseconds of the reading.
    var takenAtNanoseconds: UInt64 { schedSwitch.takenAtNanoseconds }
}
