#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Signal names as `kill -l` prints them, from the C library's numbers so they match this
/// architecture. A table rather than `sigabbrev_np`, which glibc has only from 2.32 and musl not at all.
enum SignalName {
    private static let names: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
        SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
        SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        SIGSTKFLT: "SIGSTKFLT", SIGCHLD: "SIGCHLD", SIGCONT: "SIGCONT", SIGSTOP: "SIGSTOP", SIGTSTP: "SIGTSTP",
        SIGTTIN: "SIGTTIN", SIGTTOU: "SIGTTOU", SIGURG: "SIGURG", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        SIGVTALRM: "SIGVTALRM", SIGPROF: "SIGPROF", SIGWINCH: "SIGWINCH", SIGIO: "SIGIO", SIGPWR: "SIGPWR",
        SIGSYS: "SIGSYS",
    ]

    /// `SIGKILL` for 9; `SIGRTMIN+n` for a real-time signal; `signal N` for a number without a name.
    static func of(_ number: Int32) -> String {
        if let name = names[number] { return name }
        // SIGRTMIN is a function in glibc (it reserves the first few for threads).
        let realTimeMinimum = Int32(__libc_current_sigrtmin())
        let realTimeMaximum = Int32(__libc_current_sigrtmax())
        if (realTimeMinimum...realTimeMaximum).contains(number) { return "SIGRTMIN+\(number - realTimeMinimum)" }
        return "signal \(number)"
    }
}
