/// Swift mirror of `struct syscall_failure_key` in bpf/syscalls.h: a syscall number and the errno
/// it failed with. A test compares its size with the C struct's.
struct SyscallFailureKey: BitwiseCopyable, Hashable {
    /// The syscall number.
    var id: UInt32
    /// The errno, positive.
    var error: UInt32
}
