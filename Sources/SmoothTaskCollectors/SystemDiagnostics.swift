#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskBPF
import SmoothTaskHostChecks
import SmoothTaskModel

/// Every requirement of SmoothTask's eBPF programs, checked from this process, each with the exact
/// fix when it is not met: what `smoothtaskd --check` prints and the `diagnostics` method returns.
/// The checks that need neither bpf() nor libbpf are ``HostDiagnostics``' (the client makes those alone).
public enum SystemDiagnostics {
    /// From 5.11 the kernel charges BPF maps to the memory cgroup instead of RLIMIT_MEMLOCK.
    static let memcgAccountingKernel = (major: 5, minor: 11)
    /// Below 5.11 our maps (a 16k-entry LRU hash plus per-CPU arrays) need a few MiB of locked memory;
    /// the historical 64 KiB default is far too little.
    static let minimumMemlockBytes: UInt64 = 16 << 20
    /// The seed's message when the kernel cannot run the programs.
    public static let notSupported = HostDiagnostics.notSupported
    /// The seed's message when the kernel refuses to load them.
    public static let insufficientPrivileges = "insufficient privileges to load eBPF programs"
    /// The seed's message when libelf is missing.
    public static let libelfNotFound = "libelf not found"

    /// Runs every check, in a stable order: first ``HostDiagnostics``', then those that need libbpf or bpf().
    public static func run() -> [DiagnosticCheck] {
        var checks = HostDiagnostics.run()
        checks += tracepoints()
        checks += [bpfPermission(), capabilities(), memlock(), libbpf(), libelf()]
        return checks
    }

    static func tracepoints() -> [DiagnosticCheck] {
        let names = EbpfSupportProbe.requiredTracepoints
        let missing: [String]
        do {
            missing = try KernelBTF.missingTracepoints(names)
        } catch {
            return names.map {
                DiagnosticCheck(name: "tracepoint \($0)", ok: false, detail: "cannot check: \(error)", fix: error.remedy)
            }
        }
        return names.map { name in
            guard missing.contains(name) else {
                return DiagnosticCheck(name: "tracepoint \(name)", ok: true, detail: "btf_trace_\(name) in the kernel's BTF")
            }
            let error = BPFError.tracepointMissing(name: name)
            return DiagnosticCheck(name: "tracepoint \(name)", ok: false, detail: "\(notSupported): \(error)", fix: error.remedy)
        }
    }

    static func bpfPermission() -> DiagnosticCheck {
        guard let refused = BPFPermissionProbe.tracingProgramLoadError() else {
            return DiagnosticCheck(name: "bpf()", ok: true, detail: "this process may load tracing programs")
        }
        let detail = refused.isPermissionDenied ? "\(insufficientPrivileges): \(refused)" : "\(refused)"
        return DiagnosticCheck(name: "bpf()", ok: false, detail: detail, fix: refused.remedy)
    }

    static func capabilities() -> DiagnosticCheck {
        guard let capabilities = ProcessCapabilities.current() else {
            return DiagnosticCheck(name: "capabilities", ok: false, detail: "cannot read /proc/self/status", fix: "Mount /proc.")
        }
        let held = capabilities.names.isEmpty ? "none" : capabilities.names.joined(separator: " ")
        let detail = "uid \(getuid()), effective: \(held)"
        guard capabilities.mayLoadTracingPrograms else {
            if let bounding = CapabilityBoundingSet.current(), let remedy = bounding.remedy {
                return DiagnosticCheck(
                    name: "capabilities", ok: false,
                    detail: "\(detail); CAP_BPF and CAP_PERFMON are both needed, and the capability bounding set lacks "
                        + bounding.missingForTracing.joined(separator: " and "),
                    fix: remedy
                )
            }
            return DiagnosticCheck(
                name: "capabilities", ok: false, detail: "\(detail); CAP_BPF and CAP_PERFMON are both needed",
                fix: "Start smoothtaskd through systemd/smoothtaskd.service (AmbientCapabilities=CAP_BPF CAP_PERFMON), "
                    + "or run `setcap cap_bpf,cap_perfmon+ep /usr/local/bin/smoothtaskd`."
            )
        }
        return DiagnosticCheck(name: "capabilities", ok: true, detail: detail)
    }

    static func memlock() -> DiagnosticCheck {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit)
        // RLIM_INFINITY is ((rlim_t) -1), which Swift does not import.
        let unlimited = limit.rlim_cur == rlim_t.max
        let text = unlimited ? "unlimited" : "\(limit.rlim_cur / 1024) KiB"
        let kernel = memcgAccountingKernel
        if KernelRelease.current.isAtLeast(major: kernel.major, minor: kernel.minor) {
            return DiagnosticCheck(
                name: "memlock", ok: true,
                detail: "RLIMIT_MEMLOCK \(text); not used: Linux \(kernel.major).\(kernel.minor)+ charges BPF memory to the cgroup"
            )
        }
        guard unlimited || UInt64(limit.rlim_cur) >= minimumMemlockBytes else {
            return DiagnosticCheck(
                name: "memlock", ok: false, detail: "RLIMIT_MEMLOCK \(text) is too small for the maps on this kernel",
                fix: "Add LimitMEMLOCK=infinity to the unit, or run `ulimit -l unlimited` before smoothtaskd."
            )
        }
        return DiagnosticCheck(name: "memlock", ok: true, detail: "RLIMIT_MEMLOCK \(text)")
    }

    static func libbpf() -> DiagnosticCheck {
        let file = LoadedLibrary.path(containing: "/libbpf.so")
        return DiagnosticCheck(name: "libbpf", ok: true, detail: "\(LibBPFVersion.current)" + (file.map { " (\($0))" } ?? " (linked statically)"))
    }

    static func libelf() -> DiagnosticCheck {
        guard let file = LoadedLibrary.path(containing: "/libelf") else {
            return DiagnosticCheck(
                name: "libelf", ok: false, detail: libelfNotFound,
                fix: "apt-get install libelf1 (to build: libelf-dev; Fedora: elfutils-libelf)"
            )
        }
        return DiagnosticCheck(name: "libelf", ok: true, detail: file)
    }
}
