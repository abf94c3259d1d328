#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF
import SmoothTaskHostChecks

/// The running kernel's own BTF, which CO-RE relocations and `tp_btf` programs are resolved against.
public enum KernelBTF {
    /// Where the kernel exposes its BTF (present when built with CONFIG_DEBUG_INFO_BTF=y).
    public static var path: String { HostDiagnostics.kernelBTFPath }

    /// True when ``path`` exists.
    public static var isPresent: Bool { HostDiagnostics.hasKernelBTF }

    /// The tracepoints among `names` (e.g. `sched_switch`) that this kernel does not have, judged by
    /// the `btf_trace_<name>` typedef the kernel's BTF holds for each tracepoint.
    public static func missingTracepoints(_ names: [String]) throws(BPFError) -> [String] {
        guard isPresent else { throw .noKernelBTF(path: path) }
        guard let btf = btf__load_vmlinux_btf() else { throw .kernelBTFUnreadable(path: path, errno: Glibc.errno) }
        defer { btf__free(btf) }
        return names.filter { btf__find_by_name_kind(btf, "btf_trace_\($0)", UInt32(BTF_KIND_TYPEDEF)) < 0 }
    }
}
