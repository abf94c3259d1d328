#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects

/// Measures the machine's syscall rate for a few milliseconds with `bpf/syscall_rate_probe.bpf.c`,
/// while the overhead budget has shed the syscalls object: no kernel counter gives that rate, and
/// without it the budget could not tell when the syscalls object would fit again.
///
/// The probe is the cheapest program a raw_tp can run and writes no per-process map, so probing
/// costs a fraction of what the syscalls object would and never leaks into its figures.
final class SyscallRateProbe {
    /// How long one probe runs: long enough to see tens of syscalls on a quiet machine (a few
    /// thousand per second), short enough that a probe during a storm of millions per second costs
    /// about a millisecond of CPU.
    static let probeMilliseconds = 2

    private let program: BPFProgram
    private let counts: BPFMap

    /// Loads the probe; nothing runs until ``measure()``.
    init(logger: Logger) throws(BPFError) {
        let object = try ProgramLoader(logger: logger).open("syscall_rate_probe", elfBytes: EmbeddedBPFObject.syscallRateProbe.elfBytes)
        try object.load()
        program = try object.program(named: "probe_syscall")
        counts = try object.map(named: "probed_syscalls")
    }

    /// Syscalls per second on the whole machine over one ``probeMilliseconds`` probe (blocks that long).
    func measure() throws(BPFError) -> Double {
        let before = try counts.perCPUArraySums().first ?? 0
        let started = Clock.monotonicNanoseconds()
        let link = try program.attach()
        usleep(useconds_t(Self.probeMilliseconds * 1000))
        link.detach()
        let elapsed = Clock.monotonicNanoseconds() - started
        let after = try counts.perCPUArraySums().first ?? 0
        return Double(after.subtractingClamped(before)) / (Double(elapsed) / 1e9)
    }
}
