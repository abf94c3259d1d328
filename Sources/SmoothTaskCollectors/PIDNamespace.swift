#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import SmoothTaskBPF
import SmoothTaskBPFObjects

/// The daemon's pid namespace, which the kernel programs number processes in (bpf/pid_namespace.h)
/// so that a row's pid is the one the daemon's /proc and its clients use, also in a container.
struct PIDNamespace: Sendable, Equatable {
    /// Depth below the initial namespace: 0 there, where the programs skip the translation.
    let level: UInt32
    /// Inode number of `/proc/self/ns/pid`.
    let inode: UInt32

    /// The initial pid namespace's inode number (the kernel's PROC_PID_INIT_INO), fixed since 3.8.
    static let initialInode: UInt32 = 0xEFFF_FFFC

    /// The namespace the programs see when nothing else is known: the initial one.
    static let initial = PIDNamespace(level: 0, inode: initialInode)

    /// Whether the daemon runs in the initial pid namespace, where the kernel's pids are its own.
    var isInitial: Bool { level == 0 }

    /// This process's pid namespace. Its inode comes from /proc/self/ns/pid; its level, unless it is
    /// the initial namespace, from the kernel (bpf/pid_namespace.bpf.c run once on this thread),
    /// since a container shows nothing above its own namespace.
    static func ofThisProcess(logger: Logger) throws(BPFError) -> PIDNamespace {
        var info = stat()
        guard stat("/proc/self/ns/pid", &info) == 0 else {
            throw .programRunFailed(
                program: "find_pid_namespace_level", detail: "stat /proc/self/ns/pid: \(String(cString: strerror(errno)))")
        }
        let inode = UInt32(truncatingIfNeeded: info.st_ino)
        guard inode != initialInode else { return .initial }
        let object = try BPFObject(name: "pid_namespace", elfBytes: EmbeddedBPFObject.pidNamespace.elfBytes, logger: logger)
        try object.setReadOnlyGlobal("pid_namespace_inode", to: inode)
        try object.load()
        let level = try object.program(named: "find_pid_namespace_level").runOnce()
        guard level != notFound else {
            throw .programRunFailed(
                program: "find_pid_namespace_level",
                detail: "the calling thread's pid namespace is not /proc/self/ns/pid (inode \(inode))")
        }
        return PIDNamespace(level: level, inode: inode)
    }

    /// What find_pid_namespace_level returns when the namespaces disagree (PID_NAMESPACE_NOT_FOUND).
    private static let notFound: UInt32 = 0xFFFF_FFFF

    /// Sets the knobs of bpf/pid_namespace.h in `object`, if it includes that header.
    func configure(_ object: BPFObject) throws(BPFError) {
        guard object.declaresReadOnlyGlobal("pid_namespace_level") else { return }
        try object.setReadOnlyGlobal("pid_namespace_level", to: level)
        try object.setReadOnlyGlobal("pid_namespace_inode", to: inode)
    }
}
