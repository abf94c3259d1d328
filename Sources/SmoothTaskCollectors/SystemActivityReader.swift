import SmoothTaskModel

/// The vmstat/pmstat basics (``SystemActivity``) once per collection, from the collection's
/// /proc/stat reading (``ProcfsTick``) and /proc/loadavg, keeping the previous /proc/stat reading
/// for the rates and the CPU split.
///
/// Every figure comes from procfs: the eBPF CPU program measures busy time per CPU (`cpu_usage`),
/// not the user/system split, and no program counts switches, interrupts or the load as such.
struct SystemActivityReader: Sendable {
    private var previous: (stat: ProcStatActivity, atNanoseconds: UInt64)?

    /// The latest /proc/stat reading and when it was taken (CLOCK_MONOTONIC nanoseconds): the
    /// overhead budget takes its switch and fork rates from it rather than reading the file again.
    var latest: (stat: ProcStatActivity, atNanoseconds: UInt64)? { previous }

    /// This collection's figures; rates and the split cover the time between this call's read of
    /// /proc/stat (`procfs`) and the previous one's (the first call has none and says so).
    mutating func collect(_ procfs: ProcfsTick) -> SystemActivity {
        typealias Name = SystemActivity.Name
        var activity = SystemActivity()
        let every = [Name.cpuTime, Name.loadAverage, Name.contextSwitches, Name.interrupts, Name.runnableTasks, Name.blockedTasks]
        do throws(ProcfsError) {
            activity.loadAverage = try ProcLoadAverage.read()
        } catch {
            activity.unavailable[Name.loadAverage] = error.description
        }
        activity.sources[Name.loadAverage] = activity.loadAverage == nil ? .unavailable : .procfs
        let stat: ProcStatActivity
        switch procfs.activity {
        case .success(let reading):
            stat = reading
        case .failure(let error):
            previous = nil
            for name in every where name != Name.loadAverage {
                activity.sources[name] = .unavailable
                activity.unavailable[name] = error.description
            }
            return activity
        }
        // The rates divide by the time between the reads themselves, not between collection starts.
        let now = procfs.statNanoseconds
        defer { previous = (stat, now) }
        activity.contextSwitches = stat.contextSwitches
        activity.interrupts = stat.interrupts
        activity.runnableTasks = stat.runnableTasks
        activity.blockedTasks = stat.blockedTasks
        for name in every where name != Name.loadAverage { activity.sources[name] = .procfs }
        let missing = [
            (Name.contextSwitches, stat.contextSwitches, "ctxt"), (Name.interrupts, stat.interrupts, "intr"),
            (Name.runnableTasks, stat.runnableTasks, "procs_running"), (Name.blockedTasks, stat.blockedTasks, "procs_blocked"),
        ]
        for (name, value, line) in missing where value == nil {
            activity.sources[name] = .unavailable
            activity.unavailable[name] = "\(ProcStat.path) has no \(line) line"
        }
        guard let previous, now > previous.atNanoseconds else {
            activity.unavailable[Name.cpuTime] = "first collection: no interval yet"
            return activity
        }
        let seconds = Double(now - previous.atNanoseconds) / 1e9
        func rate(_ current: UInt64?, _ earlier: UInt64?) -> Double? {
            guard let current, let earlier else { return nil }
            return Double(current >= earlier ? current - earlier : 0) / seconds
        }
        activity.contextSwitchesPerSecond = rate(stat.contextSwitches, previous.stat.contextSwitches)
        activity.interruptsPerSecond = rate(stat.interrupts, previous.stat.interrupts)
        activity.cpuTime = stat.cpu.split(since: previous.stat.cpu)
        if activity.cpuTime == nil { activity.unavailable[Name.cpuTime] = "no /proc/stat tick elapsed in the window" }
        return activity
    }
}
