import SmoothTaskHostChecks

/// The effective capabilities of this process, from the CapEff line of /proc/self/status.
struct ProcessCapabilities: Sendable, Equatable {
    /// Bit numbers from linux/capability.h.
    static let sysAdmin = 21, perfmon = 38, bpf = 39

    /// The CapEff bit mask.
    var effective: UInt64

    /// This process's capabilities, or `nil` if /proc/self/status cannot be read.
    static func current() -> ProcessCapabilities? {
        guard case .success(let status) = ProcFile.contents(of: "/proc/self/status"),
            let mask = CapabilityBoundingSet.mask(named: "CapEff", in: status)
        else { return nil }
        return ProcessCapabilities(effective: mask)
    }

    /// The names of the capabilities that matter to SmoothTask that this process holds.
    var names: [String] {
        [(Self.bpf, "CAP_BPF"), (Self.perfmon, "CAP_PERFMON"), (Self.sysAdmin, "CAP_SYS_ADMIN")]
            .filter { has($0.0) }
            .map(\.1)
    }

    func has(_ capability: Int) -> Bool { effective & (1 << UInt64(capability)) != 0 }

    /// True when tracing programs may be loaded: CAP_BPF with CAP_PERFMON, or CAP_SYS_ADMIN (which
    /// covered both before Linux 5.8 split them out).
    var mayLoadTracingPrograms: Bool { (has(Self.bpf) && has(Self.perfmon)) || has(Self.sysAdmin) }
}
