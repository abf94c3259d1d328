/// The programs of one object that run together (a counter and its exit cleanup, say): attached all
/// or none, detached together.
public final class BPFLinkSet {
    /// The programs of the set, in attach order.
    public let programs: [BPFProgram]
    private var links: [BPFLink] = []

    /// Groups `programs`; nothing is attached until ``attach()``.
    public init(programs: [BPFProgram]) {
        self.programs = programs
    }

    /// True while every program is attached.
    public var isAttached: Bool { !links.isEmpty }

    /// Attaches every program; if one fails, the ones already attached are detached again.
    public func attach() throws(BPFError) {
        guard links.isEmpty else { return }
        do throws(BPFError) {
            for program in programs { links.append(try program.attach()) }
        } catch {
            detach()
            throw error
        }
    }

    /// Detaches every program; they then cost nothing on their hooks.
    public func detach() {
        for link in links { link.detach() }
        links = []
    }
}
