#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The capabilities this process could ever gain (CapBnd of /proc/self/status). A container
/// manager sets it for everything in the container: a capability outside it cannot be granted by
/// the unit's AmbientCapabilities=, by `setcap`, nor by running as root, so when CAP_BPF or
/// CAP_PERFMON is missing from it the only fix is where the container is started.
public struct CapabilityBoundingSet: Sendable, Equatable {
    /// Bit numbers from linux/capability.h.
    public static let perfmon = 38, bpf = 39

    /// The CapBnd bit mask.
    public let mask: UInt64

    /// Wraps a CapBnd mask.
    public init(mask: UInt64) {
        self.mask = mask
    }

    /// This process's bounding set, or `nil` if /proc/self/status cannot be read.
    public static func current() -> CapabilityBoundingSet? {
        guard let file = fopen("/proc/self/status", "re") else { return nil }
        defer { fclose(file) }
        var text = ""
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line { text += String(cString: line) }
        return mask(named: "CapBnd", in: text).map(CapabilityBoundingSet.init(mask:))
    }

    /// The hexadecimal mask of the `field` line (`CapEff`, `CapBnd`, ...) of a /proc/PID/status text.
    public static func mask(named field: String, in status: String) -> UInt64? {
        let prefix = field + ":"
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return UInt64(line.dropFirst(prefix.count).trimmingPrefix(while: \.isWhitespace), radix: 16)
    }

    /// CAP_BPF and CAP_PERFMON, those of the two missing from the set, by name.
    public var missingForTracing: [String] {
        [(Self.bpf, "CAP_BPF"), (Self.perfmon, "CAP_PERFMON")].filter { mask & (1 << UInt64($0.0)) == 0 }.map(\.1)
    }

    /// The real cause and fix when CAP_BPF or CAP_PERFMON is missing from the set; `nil` when both are in it.
    public var remedy: String? {
        let missing = missingForTracing
        guard !missing.isEmpty else { return nil }
        let list = missing.joined(separator: " and ")
        return "This process's capability bounding set (CapBnd \(String(mask, radix: 16))) lacks \(list): the container "
            + "(or whatever started smoothtaskd) dropped them, and inside it neither the unit's AmbientCapabilities= "
            + "nor setcap nor root can grant them back. Start the container with them, e.g. "
            + "`systemd-nspawn --capability=CAP_BPF,CAP_PERFMON`, `docker run --cap-add BPF --cap-add PERFMON`, "
            + "or `--cap-add=CAP_BPF,CAP_PERFMON` for podman."
    }
}
