#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF

/// A `BPF_ENABLE_STATS` descriptor: while one is open the kernel counts every eBPF program's runs and
/// run time (as with `kernel.bpf_stats_enabled=1`); closing it stops the counting again.
///
/// Needs CAP_SYS_ADMIN, so only a daemon started as root gets one; the overhead budget holds it for
/// its bounded start-up self-test and nothing longer, since the counting costs every program run
/// on the machine two clock reads.
public final class BPFStatisticsGrant {
    private var descriptor: Int32

    /// Asks the kernel to count run time until ``close()``.
    /// - Throws: ``BPFError/statisticsRefused(errno:)`` without CAP_SYS_ADMIN (EPERM) or on kernels before 5.8 (EINVAL).
    public init() throws(BPFError) {
        let result = bpf_enable_stats(BPF_STATS_RUN_TIME)
        guard result >= 0 else { throw .statisticsRefused(errno: result < 0 ? -result : Glibc.errno) }
        descriptor = result
    }

    /// Stops the counting this grant started (other holders and the sysctl keep theirs).
    public func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
