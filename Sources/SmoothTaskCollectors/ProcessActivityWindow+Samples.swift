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
            samples.append(
                ProcessWindowSample(
                    pid: Int32(bitPattern: process.pid), state: .exited,
                    startTimeMilliseconds: Clock.epochMilliseconds(ofBoottime: startTicks), comm: process.comm, uid: process.uid,
                    command: process.command, window: figures(window),
                    exit: ProcessExitFields(
                        ppid: Int32(bitPattern: process.ppid),
                        exitTimeMilliseconds: Clock.epochMilliseconds(ofBoottime: process.exitBoottimeNanoseconds),
                        exitCode: process.exitCode, exitSignal: process.exitSignal, cgroupID: process.cgroupID,
                        totals: processTotals(process.totals, startBoottime: process.startBoottimeNanoseconds)
                    )
                )
            )
        }
        return samples
    }
}
