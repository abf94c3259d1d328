import SmoothTaskModel

/// Reads the vmstat/pmstat basics (``SystemActivity``) once per collection from /proc/stat and
/// /proc/loadavg, keeping the previous /proc/stat reading for the rates and the CPU split.
///
/// Every figure comes from procfs: the eBPF CPU program measures busy time per CPU (`cpu_usage`),
/// not the user/system split, and no program counts switches, interrupts or the load as such.
struct SystemActivityReader: Sendable {
    private var previous: (stat: ProcStatActivity, atNanoseconds: UInt64)?

    /// This collection's figures; rates and the split cover the time since the previous call (the
    /// first call has none and says so).
    mutating func collect(atNanoseconds now: UInt64 = Clock.monotonicNanoseconds()) -> SystemActivity {
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
        do throws(ProcfsError) {
            stat = try ProcStatActivity.read()
        } catch {
            previous = nil
            for name in every where name != Name.loadAverage {
                activity.sources[name] = .unavailable
                activity.unavailable[name] = error.description
            }
            return activity
        }
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

extension CPUTicks {
    /// Percent of the ticks between `earlier` and this reading spent in each state; `nil` if no tick elapsed.
    func split(since earlier: CPUTicks) -> CPUTimeSplit? {
        guard total > earlier.total else { return nil }
        let elapsed = Double(total - earlier.total)
        func percent(_ now: UInt64, _ then: UInt64) -> Double { now >= then ? Double(now - then) / elapsed * 100 : 0 }
        return CPUTimeSplit(
            user: percent(user, earlier.user), nice: percent(nice, earlier.nice), system: percent(system, earlier.system),
            iowait: percent(iowait, earlier.iowait), irq: percent(irq, earlier.irq), softirq: percent(softirq, earlier.softirq),
            steal: percent(steal, earlier.steal), idle: percent(idle, earlier.idle)
        )
    }
}
