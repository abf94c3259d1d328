/// The syscall numbering of the architecture this binary runs on, from the generated ``SyscallNames``.
enum SyscallTable {
    #if arch(x86_64)
    /// The architecture's name as `uname -m` prints it.
    static let architecture = "x86_64"
    private static let names = SyscallNames.x86_64
    #elseif arch(arm64)
    static let architecture = "aarch64"
    private static let names = SyscallNames.arm64
    #else
    #error("SyscallTable knows the syscall numbers of x86_64 and arm64 only")
    #endif

    /// The syscall's name, e.g. `openat`; `nil` for a number the headers did not list.
    static func name(of id: UInt32) -> String? { names[id] }

    /// The errno's name, e.g. `ENOENT`; `nil` for a number the headers did not list.
    static func errnoName(of error: UInt32) -> String? { SyscallNames.errnos[error] }
}
