#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskHostChecks

/// Why an eBPF step failed, naming the step and the kernel's errno, and what the operator can do.
public enum BPFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kernel exposes no BTF at `path`, so CO-RE relocations and `tp_btf` programs cannot work.
    case noKernelBTF(path: String)
    /// The kernel predates BTF-typed tracepoints (`tp_btf`) and CAP_BPF.
    case kernelTooOld(release: String, minimum: String)
    /// The kernel's BTF has no `btf_trace_<name>` typedef: the tracepoint does not exist here.
    case tracepointMissing(name: String)
    /// Reading the kernel's BTF failed.
    case kernelBTFUnreadable(path: String, errno: Int32)
    /// `bpf_object__open_mem` rejected the embedded object.
    case openFailed(object: String, errno: Int32)
    /// The object has no program, map or `.rodata` variable of that name (it does not match this build).
    case notFound(object: String, kind: String, name: String)
    /// A `.rodata` knob was set after load, or with a value of the wrong size.
    case knobRejected(object: String, name: String, detail: String)
    /// `bpf_object__load` failed: the verifier, a CO-RE relocation or the kernel refused a program or map.
    case loadFailed(object: String, errno: Int32)
    /// `bpf_program__attach` failed.
    case attachFailed(program: String, hook: String, errno: Int32)
    /// A map read, write or delete failed (`operation` says which).
    case mapAccessFailed(map: String, operation: String, errno: Int32)
    /// Reading a program's kernel information (`bpf_obj_get_info_by_fd`) failed.
    case programInfoFailed(program: String, errno: Int32)
    /// A map's key or value (`part`) has a different size than the Swift type used to read it.
    case layoutMismatch(map: String, part: String, kernelBytes: Int, swiftBytes: Int)
    /// Running a program once on the calling thread (`BPF_PROG_TEST_RUN`) failed or gave no answer.
    case programRunFailed(program: String, detail: String)
    /// `bpf(BPF_ENABLE_STATS)` was refused: it needs CAP_SYS_ADMIN.
    case statisticsRefused(errno: Int32)

    /// The step that failed, as an operator would name it.
    public var step: String {
        switch self {
        case .noKernelBTF, .kernelTooOld, .tracepointMissing, .kernelBTFUnreadable: "kernel check"
        case .openFailed, .notFound, .knobRejected: "open"
        case .loadFailed: "load"
        case .attachFailed: "attach"
        case .mapAccessFailed, .layoutMismatch: "map access"
        case .programInfoFailed: "program info"
        case .programRunFailed: "test run"
        case .statisticsRefused: "enable statistics"
        }
    }

    /// The errno the kernel or libbpf returned, if the step failed with one.
    public var errno: Int32? {
        switch self {
        case .kernelBTFUnreadable(_, let code), .openFailed(_, let code), .loadFailed(_, let code),
            .attachFailed(_, _, let code), .mapAccessFailed(_, _, let code), .programInfoFailed(_, let code),
            .statisticsRefused(let code):
            code
        case .noKernelBTF, .kernelTooOld, .tracepointMissing, .notFound, .knobRejected, .layoutMismatch,
            .programRunFailed:
            nil
        }
    }

    /// True when the kernel refused for lack of privilege (EPERM or EACCES).
    public var isPermissionDenied: Bool { errno == EPERM || errno == EACCES }

    /// What the operator can do about it, in one or two sentences.
    public var remedy: String {
        if isPermissionDenied {
            // A capability outside the bounding set (a container's) cannot be granted from inside.
            if let boundingSetRemedy = CapabilityBoundingSet.current()?.remedy { return boundingSetRemedy }
            return "Start smoothtaskd through systemd/smoothtaskd.service, which grants CAP_BPF and CAP_PERFMON; "
                + "or run it as root, or grant the binary `setcap cap_bpf,cap_perfmon+ep`."
        }
        // Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK, whose default is 64 KiB.
        if errno == ENOMEM || errno == EAGAIN {
            return "Raise the locked-memory limit (LimitMEMLOCK=infinity in the unit, or `ulimit -l unlimited`)."
        }
        switch self {
        case .noKernelBTF, .kernelBTFUnreadable:
            return HostDiagnostics.noKernelBTFRemedy
        case .kernelTooOld(_, let minimum):
            return HostDiagnostics.kernelTooOldRemedy(minimum: minimum)
        case .tracepointMissing:
            return "Boot a kernel built with CONFIG_TRACEPOINTS=y and CONFIG_DEBUG_INFO_BTF=y (5.8 or newer)."
        case .openFailed, .notFound, .knobRejected, .layoutMismatch:
            return "The embedded eBPF object does not match this build: rebuild SmoothTask with `swift build`."
        case .loadFailed:
            return "The kernel refused the program; the libbpf lines logged just before say why "
                + "(verifier or CO-RE). Report them together with `uname -r`."
        case .attachFailed:
            return "Check that no security module (lockdown, SELinux) forbids tracing; the libbpf lines logged "
                + "just before say more."
        case .mapAccessFailed:
            return "A map read failed; restart smoothtaskd, and report it with the logged errno if it persists."
        case .programInfoFailed:
            return "The program's statistics could not be read; report it with `uname -r` and the errno."
        case .programRunFailed:
            return "The kernel could not run the program on smoothtaskd's own thread; report it with `uname -r` "
                + "and the libbpf lines logged just before."
        case .statisticsRefused:
            return "Counting program run time needs CAP_SYS_ADMIN, which the service does not hold; "
                + "run `sysctl kernel.bpf_stats_enabled=1` as root to measure, or rely on the bench figures."
        }
    }

    public var description: String {
        switch self {
        case .noKernelBTF(let path):
            "kernel check failed: no kernel BTF at \(path)"
        case .kernelTooOld(let release, let minimum):
            "kernel check failed: Linux \(release) is older than \(minimum)"
        case .tracepointMissing(let name):
            "kernel check failed: the kernel's BTF has no tracepoint \(name)"
        case .kernelBTFUnreadable(let path, let code):
            "kernel check failed: reading \(path): \(Self.describe(code))"
        case .openFailed(let object, let code):
            "open of eBPF object \(object) failed: \(Self.describe(code))"
        case .notFound(let object, let kind, let name):
            "open of eBPF object \(object) failed: it has no \(kind) named \(name)"
        case .knobRejected(let object, let name, let detail):
            "setting \(name) of eBPF object \(object) failed: \(detail)"
        case .loadFailed(let object, let code):
            "load of eBPF object \(object) failed: \(Self.describe(code))"
        case .attachFailed(let program, let hook, let code):
            "attach of eBPF program \(program) to \(hook) failed: \(Self.describe(code))"
        case .mapAccessFailed(let map, let operation, let code):
            "\(operation) on eBPF map \(map) failed: \(Self.describe(code))"
        case .programInfoFailed(let program, let code):
            "reading the statistics of eBPF program \(program) failed: \(Self.describe(code))"
        case .layoutMismatch(let map, let part, let kernelBytes, let swiftBytes):
            "eBPF map \(map) has \(kernelBytes)-byte \(part)s but Swift reads \(swiftBytes) bytes"
        case .programRunFailed(let program, let detail):
            "running eBPF program \(program) once failed: \(detail)"
        case .statisticsRefused(let code):
            "enabling eBPF run statistics (BPF_ENABLE_STATS) failed: \(Self.describe(code))"
        }
    }

    /// `Operation not permitted (errno 1)`.
    static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
