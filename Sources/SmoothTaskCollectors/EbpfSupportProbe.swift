#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskBPF
import SmoothTaskHostChecks
import SmoothTaskModel

/// Decides whether SmoothTask's eBPF programs can run on this system, and if not, why.
enum EbpfSupportProbe {
    /// The tracepoints SmoothTask's programs attach to.
    static let requiredTracepoints = ["sched_switch", "sys_exit"]

    static func check() -> EbpfSupport {
        let release = KernelRelease.current
        let minimumKernel = HostDiagnostics.minimumKernel
        func unsupported(_ error: BPFError, context: String = "") -> EbpfSupport {
            EbpfSupport(supported: false, reason: error.description + context, remedy: error.remedy, kernelRelease: release.text)
        }
        guard release.isAtLeast(major: minimumKernel.major, minor: minimumKernel.minor) else {
            return unsupported(.kernelTooOld(release: release.text, minimum: "\(minimumKernel.major).\(minimumKernel.minor)"))
        }
        do {
            if let missing = try KernelBTF.missingTracepoints(requiredTracepoints).first {
                return unsupported(.tracepointMissing(name: missing))
            }
        } catch {
            return unsupported(error)
        }
        if let refused = BPFPermissionProbe.tracingProgramLoadError() {
            return unsupported(refused, context: refused.isPermissionDenied ? permissionContext() : "")
        }
        return EbpfSupport(supported: true, kernelRelease: release.text)
    }

    /// Why the kernel said EPERM, as far as this process can tell.
    private static func permissionContext() -> String {
        guard let capabilities = ProcessCapabilities.current() else { return "" }
        let hex = String(capabilities.effective, radix: 16)
        let mask = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        if !capabilities.mayLoadTracingPrograms {
            let bounding = CapabilityBoundingSet.current()?.missingForTracing ?? []
            let outsideBoundingSet = bounding.isEmpty ? "" : ", and its capability bounding set lacks " + bounding.joined(separator: " and ")
            return "; this process lacks CAP_BPF and CAP_PERFMON (CapEff \(mask))" + outsideBoundingSet
        }
        var context = "; although this process holds CAP_BPF and CAP_PERFMON (CapEff \(mask))"
        if case .success(let lockdown) = ProcFile.contents(of: "/sys/kernel/security/lockdown") {
            context += ", kernel lockdown is \(lockdown.split(separator: "\n").first ?? "")"
        }
        return context
    }
}
