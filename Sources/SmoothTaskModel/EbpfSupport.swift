/// Whether this system can run SmoothTask's eBPF programs, and if not, why and what to do.
public struct EbpfSupport: Codable, Sendable, Equatable {
    /// True when the programs can be loaded and attached here.
    public var supported: Bool
    /// Why they cannot, in one sentence; `nil` when supported.
    public var reason: String?
    /// What the operator can do about it; `nil` when supported.
    public var remedy: String?
    /// The running kernel's release, as `uname -r` prints it.
    public var kernelRelease: String

    /// Creates a support verdict.
    public init(supported: Bool, reason: String? = nil, remedy: String? = nil, kernelRelease: String) {
        self.supported = supported
        self.reason = reason
        self.remedy = remedy
        self.kernelRelease = kernelRelease
    }

    enum CodingKeys: String, CodingKey {
        case supported, reason, remedy
        case kernelRelease = "kernel_release"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(supported, forKey: .supported)
        try container.encode(reason, forKey: .reason)
        try container.encode(remedy, forKey: .remedy)
        try container.encode(kernelRelease, forKey: .kernelRelease)
    }
}
