#if canImport(Glibc)
import Glibc
#endif
import XCTest

@testable import SmoothTaskCollectors

/// The syscalls program counts each syscall as it returns (bpf/syscalls.bpf.c): what that means for
/// the one syscall whose return is not a result, rt_sigreturn, against the real kernel.
final class SyscallReturnCountingTests: XCTestCase {
    static let signals = 10_000
    static let tolerance = 0.02

    /// Each signal here interrupts rt_sigsuspend, which fails (sys_exit sees the kernel's
    /// -ERESTARTNOHAND, which signal delivery then turns into the -EINTR user space gets); the
    /// handler returns through rt_sigreturn, whose saved number the kernel has erased (-1) and whose
    /// return value is the interrupted rt_sigsuspend's -EINTR. Counted as rt_sigreturn, and the
    /// failure only once, as rt_sigsuspend's: without the program's care it would also be a failure
    /// (EINTR) of a syscall numbered 0xffffffff.
    func testASignalHandlersReturnCountsAsRtSigreturnAndNotAsAFailure() async throws {
        _ = try await TestSupport.initializedCollector()
        let sigreturn = try XCTUnwrap(Self.number(of: "rt_sigreturn"))
        let sigsuspend = try XCTUnwrap(Self.number(of: "rt_sigsuspend"))
        let counter = try SyscallCounterProgram(loader: ProgramLoader(logger: TestSupport.logger), filterTGID: UInt32(getpid()))
        try counter.attach()
        let before = try counter.snapshot()
        Self.interruptSigsuspend(times: Self.signals)
        let after = try counter.snapshot()
        counter.detach()

        let returns = after.perSyscall[Int(sigreturn)] - before.perSyscall[Int(sigreturn)]
        func failures(_ snapshot: SyscallSnapshot, of ids: Set<UInt32>) -> UInt64 {
            snapshot.failures.filter { ids.contains($0.key.id) }.reduce(0) { $0 + $1.value }
        }
        let suspendFailures = failures(after, of: [sigsuspend]) - failures(before, of: [sigsuspend])
        let suspendErrnos = after.failures.filter { $0.key.id == sigsuspend }.map { "\($0.key.error): \($0.value)" }
        let sigreturnFailures = failures(after, of: [sigreturn, UInt32.max]) - failures(before, of: [sigreturn, UInt32.max])
        let beyondTable = after.totals.beyond_table - before.totals.beyond_table
        print("\(Self.signals) signals: rt_sigreturn \(returns), rt_sigsuspend failures \(suspendFailures) (errno: count \(suspendErrnos)), "
            + "failures charged to rt_sigreturn or -1: \(sigreturnFailures), beyond table \(beyondTable)")
        XCTAssertGreaterThanOrEqual(returns, UInt64(Self.signals))
        XCTAssertLessThanOrEqual(Double(returns), Double(Self.signals) * (1 + Self.tolerance))
        XCTAssertGreaterThanOrEqual(suspendFailures, UInt64(Self.signals))
        XCTAssertEqual(sigreturnFailures, 0)
        XCTAssertEqual(beyondTable, 0, "the erased number must not be counted as a number beyond the table")
    }

    private static func number(of name: String) -> UInt32? {
        (0..<UInt32(1024)).first { SyscallTable.name(of: $0) == name }
    }

    /// Blocks SIGUSR1 on this thread, makes it pending (pthread_kill: tgkill to this thread) and lets
    /// rt_sigsuspend take it,
    /// `times` times; the previous mask and handler are put back.
    private static func interruptSigsuspend(times: Int) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        var previousAction = sigaction()
        sigaction(SIGUSR1, &action, &previousAction)
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR1)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previousMask)
        var waitMask = previousMask
        sigdelset(&waitMask, SIGUSR1)
        for _ in 0..<times {
            pthread_kill(pthread_self(), SIGUSR1)
            sigsuspend(&waitMask)
        }
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        sigaction(SIGUSR1, &previousAction, nil)
    }
}
