#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskBPF
import SmoothTaskModel

/// The overhead budget's start-up self-test: with `BPF_ENABLE_STATS` held, it makes known syscalls
/// and context switches for a fraction of a second and takes each attached program's
/// `run_time_ns / run_cnt` over that window as its per-event cost (``CostSource/calibrated``).
///
/// Holding the statistics descriptor needs CAP_SYS_ADMIN, which the systemd unit does not grant, so
/// a service daemon skips it and uses the kernel's figures (when the admin turned them on) or the
/// bench table. The figures include bpf_stats' own timing, so they are upper bounds, like the bench's.
enum CostCalibration {
    /// getppid calls the self-test makes: each runs the syscalls program once (~0.1 s at most,
    /// with the programs attached, on the slowest machine we run on).
    static let syscalls = 100_000
    /// 1 µs sleeps the self-test makes: each puts the thread to sleep and wakes it, two context
    /// switches (~60 µs each with the default timer slack, so ~0.1 s).
    static let sleeps = 1_000
    /// Runs a program needs in the window for its figure to count: fewer (a program on a rare hook)
    /// say more about timer noise than about the program.
    static let minimumRuns: UInt64 = 100

    /// Per-event nanoseconds by `object/program` for each program that ran often enough, or why
    /// there are none (the kernel refused the statistics descriptor).
    /// - Parameter programs: reads every program's run counters (the collectors' `programOverheads`).
    static func run(programs: () async -> [ProgramOverhead]) async -> Result<[String: Double], BPFError> {
        let grant: BPFStatisticsGrant
        do throws(BPFError) {
            grant = try BPFStatisticsGrant()
        } catch {
            return .failure(error)
        }
        defer { grant.close() }
        let before = await programs()
        for _ in 0..<syscalls { _ = getppid() }
        for _ in 0..<sleeps { usleep(1) }
        let after = await programs()
        var costs: [String: Double] = [:]
        let earlier = Dictionary(before.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for row in after {
            guard let runs = row.runCount, let time = row.runTimeNanoseconds, let then = earlier[row.name],
                let runsBefore = then.runCount, let timeBefore = then.runTimeNanoseconds
            else { continue }
            let counted = runs.subtractingClamped(runsBefore)
            guard counted >= minimumRuns else { continue }
            costs[row.name] = Double(time.subtractingClamped(timeBefore)) / Double(counted)
        }
        return .success(costs)
    }
}
