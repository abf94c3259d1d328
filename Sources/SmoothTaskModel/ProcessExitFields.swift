/// How a process ended, as the kernel reported its exit: what the history keeps of an exited process
/// beside its window figures.
public struct ProcessExitFields: Sendable, Equatable {
    /// Parent's pid at exit.
    public var ppid: Int32
    /// Unix epoch milliseconds of the exit.
    public var exitTimeMilliseconds: Int64
    /// Exit status when it exited by itself; the signal that ended it otherwise.
    public var exitCode: Int32?
    public var exitSignal: Int32?
    /// Its cgroup v2 id at exit.
    public var cgroupID: UInt64
    /// Its lifetime totals at exit.
    public var totals: ProcessTotals

    /// Creates the fields.
    public init(ppid: Int32, exitTimeMilliseconds: Int64, exitCode: Int32?, exitSignal: Int32?, cgroupID: UInt64, totals: ProcessTotals) {
        self.ppid = ppid
        self.exitTimeMilliseconds = exitTimeMilliseconds
        self.exitCode = exitCode
        self.exitSignal = exitSignal
        self.cgroupID = cgroupID
        self.totals = totals
    }
}
