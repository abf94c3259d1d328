#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskModel

/// The checks of SmoothTask's requirements that need neither bpf() nor libbpf: what the kernel and its
/// file systems offer, the same from every process. `smoothtaskctl check` makes only these when no
/// daemon answers (the client links no libbpf); `SystemDiagnostics` in the collectors makes them first,
/// then the ones that need the daemon's privileges and libbpf.
public enum HostDiagnostics {
    /// 5.8 brought CAP_BPF/CAP_PERFMON and BTF-typed tracepoints (tp_btf) with BTF in sysfs.
    public static let minimumKernel = (major: 5, minor: 8)
    /// Where the kernel exposes its BTF (present when built with CONFIG_DEBUG_INFO_BTF=y), which CO-RE
    /// relocations and `tp_btf` programs are resolved against.
    public static let kernelBTFPath = "/sys/kernel/btf/vmlinux"
    /// Where tracefs is normally mounted; reported only, since tp_btf and raw_tp programs attach
    /// through bpf() alone.
    static let tracefsPaths = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]
    /// The seed's message when the kernel cannot run the programs.
    public static let notSupported = "eBPF not supported on this system"
    /// What only a process with the daemon's privileges and libbpf can check, and the command that
    /// does: printed by `smoothtaskctl check` when no daemon answers.
    public static let privilegedChecksPointer = "tracepoints, bpf() permission, capabilities, memlock, libbpf and libelf "
        + "need the daemon's privileges and libbpf: run `sudo smoothtaskd --check`"

    /// True when the kernel exposes its BTF at ``kernelBTFPath``.
    public static var hasKernelBTF: Bool { access(kernelBTFPath, F_OK) == 0 }

    /// The fix for a kernel older than `minimum` (`5.8`, or a program's own later minimum).
    public static func kernelTooOldRemedy(minimum: String) -> String {
        "Boot Linux \(minimum) or newer built with CONFIG_DEBUG_INFO_BTF=y."
    }

    /// The fix for a kernel without readable BTF.
    public static var noKernelBTFRemedy: String {
        "Boot a kernel built with CONFIG_DEBUG_INFO_BTF=y (\(minimumKernel.major).\(minimumKernel.minor) or newer)."
    }

    /// Runs every check that needs neither bpf() nor libbpf, in a stable order: kernel, btf, tracefs.
    public static func run() -> [DiagnosticCheck] {
        [kernel(), btf(), tracefs()]
    }

    static func kernel() -> DiagnosticCheck {
        let release = KernelRelease.current
        let minimum = "\(minimumKernel.major).\(minimumKernel.minor)"
        guard release.isAtLeast(major: minimumKernel.major, minor: minimumKernel.minor) else {
            return DiagnosticCheck(
                name: "kernel", ok: false,
                detail: "\(notSupported): Linux \(release.text) is older than \(minimum)",
                fix: kernelTooOldRemedy(minimum: minimum)
            )
        }
        return DiagnosticCheck(name: "kernel", ok: true, detail: "Linux \(release.text) (\(minimum) or newer needed)")
    }

    static func btf() -> DiagnosticCheck {
        guard hasKernelBTF else {
            return DiagnosticCheck(
                name: "btf", ok: false, detail: "\(notSupported): no kernel BTF at \(kernelBTFPath)", fix: noKernelBTFRemedy
            )
        }
        return DiagnosticCheck(name: "btf", ok: true, detail: "\(kernelBTFPath) present")
    }

    static func tracefs() -> DiagnosticCheck {
        let why = "not needed: the programs attach to tp_btf and raw_tp tracepoints through bpf() alone"
        let mounted = tracefsPaths.first { access("\($0)/events", F_OK) == 0 }
        return DiagnosticCheck(name: "tracefs", ok: true, detail: mounted.map { "mounted at \($0); \(why)" } ?? "not mounted; \(why)")
    }
}
