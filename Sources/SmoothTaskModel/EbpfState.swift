/// The daemon's eBPF side as `status` reports it: the support verdict plus each program's state.
///
/// On the wire the verdict's fields sit beside `programs` in one object.
public struct EbpfState: Codable, Sendable, Equatable {
    /// Whether eBPF is in use, and if not why and what to do.
    public var support: EbpfSupport
    /// Every program the daemon owns, attached or not.
    public var programs: [ProgramStatus]

    /// Creates the state from a support verdict and the programs' states.
    public init(support: EbpfSupport, programs: [ProgramStatus]) {
        self.support = support
        self.programs = programs
    }

    private enum CodingKeys: String, CodingKey {
        case programs
    }

    public init(from decoder: any Decoder) throws {
        support = try EbpfSupport(from: decoder)
        programs = try decoder.container(keyedBy: CodingKeys.self).decode([ProgramStatus].self, forKey: .programs)
    }

    public func encode(to encoder: any Encoder) throws {
        try support.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(programs, forKey: .programs)
    }
}
