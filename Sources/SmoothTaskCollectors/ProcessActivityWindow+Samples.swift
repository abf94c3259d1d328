import SmoothTaskModel

extension ProcessActivityWindow {
    /// Every process of the window as the history records it: live ones named from /proc (read once
    /// per process and exec, kept in `identities`), exited ones from their exit record; `nil` when
    /// nothing counted per process. May read /proc: call it off the collection thread.
    func samples(identities: ProcessIdentityCache) -> [ProcessWindowSample]? {
        guard let counts else { return nil }
        identities.keep(only: counts.totals)
        var samples: [ProcessWindowSample] = []
        samples.reserveCapacity(counts.live.count + counts.exited.count)
        let tickNanoseconds = 1_000_000_000 / ProcPIDStat.ticksPerSecond
        for (tgid, window) in counts.live {
            let identity = identities.identity(of: tgid, execs: counts.execs[tgid] ?? 0)
            samples.append(
                ProcessWindowSample(
                    pid: Int32(bitPattern: tgid), state: .live, startTimeMilliseconds: identity.startTimeMilliseconds,
                    comm: identity.comm, uid: identity.uid, window: figures(window)
                )
            )
        }
        for (process, window) in counts.exited {
            // The start in whole clock ticks, as /proc showed it while the process ran, so its live
            // and exited rows name the same process.
            let startTicks = process.startBoottimeNanoseconds / tickNanoseconds * tickNanoseconds
            let totals = figures(process.totals)
            samples.append(
                ProcessWindowSample(
                    pid: Int32(bitPattern: process.pid), state: .exited,
                    startTimeMilliseconds: Clock.epochMilliseconds(ofBoottime: startTicks), comm: process.comm, uid: process.uid,
                    command: process.command, window: figures(window),
                    exit: ProcessExitFields(
                        ppid: Int32(bitPattern: process.ppid),
                        exitTimeMilliseconds: Clock.epochMilliseconds(ofBoottime: process.exitBoottimeNanoseconds),
                        exitCode: process.exitCode, exitSignal: process.exitSignal, cgroupID: process.cgroupID,
                        totals: processTotalsSince(totals, startBoottime: process.startBoottimeNanoseconds)
                    )
                )
            )
        }
        return samples
    }

    /// `counters` as wire figures, each `nil` when its program did not count.
    private func figures(_ counters: ProcessCounters) -> ProcessTotals {
        var figures = ProcessTotals(since: .accountingStart, sinceMilliseconds: 0)
        if areas.contains(.cpu) { figures.cpuTimeNanoseconds = counters.cpuNanoseconds }
        if areas.contains(.syscalls) {
            figures.syscalls = counters.syscalls
            figures.failedSyscalls = counters.failedSyscalls
        }
        if areas.contains(.memory) {
            figures.userFaults = counters.userFaults
            figures.reclaimStalls = counters.reclaimStalls
            figures.reclaimStallNanoseconds = counters.reclaimNanoseconds
        }
        if areas.contains(.disk) {
            figures.diskReadBytes = counters.diskReadBytes
            figures.diskWriteBytes = counters.diskWriteBytes
        }
        if areas.contains(.network) {
            figures.netSentBytes = counters.netSentBytes
            figures.netReceivedBytes = counters.netReceivedBytes
        }
        if areas.contains(.runQueue) { figures.runQueueWaitNanoseconds = counters.runQueueWaitNanoseconds }
        return figures
    }

    /// `figures` with what they cover: the whole life, or since accounting began.
    private func processTotalsSince(_ figures: ProcessTotals, startBoottime: UInt64) -> ProcessTotals {
        var totals = figures
        let wholeLife = startBoottime >= accountingStartBoottime
        totals.since = wholeLife ? .processStart : .accountingStart
        totals.sinceMilliseconds = Clock.epochMilliseconds(ofBoottime: wholeLife ? startBoottime : accountingStartBoottime)
        return totals
    }
}
