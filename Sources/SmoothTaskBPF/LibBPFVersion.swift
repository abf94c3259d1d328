import CLibBPF

/// The libbpf this process runs with (the shared library loaded, not the headers built against).
public enum LibBPFVersion {
    /// E.g. `v1.1`.
    public static var current: String { String(cString: libbpf_version_string()) }
}
