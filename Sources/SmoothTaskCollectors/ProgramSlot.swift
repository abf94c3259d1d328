import Logging
import SmoothTaskBPF
import SmoothTaskModel

/// The one lifecycle of every ``MetricProgram``: loaded once, attached and detached as its switch
/// says without reloading, and reported in `status` and `overhead` while the other programs keep
/// working when it fails.
final class ProgramSlot<Program: KernelProgram> {
    /// What ``apply(enabled:)`` did, so the owner can start or drop the baseline of its window.
    enum Change {
        /// The program was just attached: take a baseline.
        case attached
        /// The program was just detached (or is off): drop the baseline.
        case detached
        /// Nothing changed.
        case unchanged
    }

    private let logger: Logger
    /// The loaded program; `nil` when loading failed (``failure`` says why).
    private(set) var program: Program?
    /// The error that stops the program, `nil` when it runs or is merely switched off.
    private(set) var failure: BPFError?
    /// Whether its switch is on.
    private(set) var enabled = false
    /// Why the overhead budget holds the program detached although its switch is on; `nil` while it
    /// is not shed. Set through ``shed(reason:)``.
    private(set) var shedReason: String?

    /// Loads the program with `loader`'s shared maps; a failure is kept and reported, not thrown.
    init(loader: ProgramLoader) {
        self.logger = loader.logger
        do throws(BPFError) {
            guard KernelBTF.isPresent else { throw .noKernelBTF(path: KernelBTF.path) }
            program = try Program(loader: loader)
        } catch {
            failure = error
            logger.warning("eBPF program unavailable", metadata: [
                "program": "\(Program.name)", "error": "\(error)", "remedy": "\(error.remedy)",
            ])
        }
    }

    /// The program while it is attached; `nil` otherwise.
    var attached: Program? {
        guard let program, program.isAttached else { return nil }
        return program
    }

    /// Why nothing can be read from the program right now.
    var unavailableReason: String {
        failure?.description
            ?? (enabled ? shedReason ?? "not attached" : metricSwitch?.disabledReason ?? "off")
    }

    /// The switch that attaches the program; `nil` for the process lifecycle, which is always on.
    var metricSwitch: MetricSwitch? { (Program.self as? any MetricProgram.Type)?.metricSwitch }

    /// The object's name, as in `bpf/`.
    var objectName: String { Program.name }

    /// Attaches the program if `enabled` and not shed, detaches it if not.
    @discardableResult
    func apply(enabled: Bool) -> Change {
        self.enabled = enabled
        guard let program else { return .unchanged }
        guard enabled, shedReason == nil else {
            program.detach()
            return .detached
        }
        guard !program.isAttached else { return .unchanged }
        do throws(BPFError) {
            try program.attach()
            failure = nil
            return .attached
        } catch {
            fail(error)
            return .unchanged
        }
    }

    /// Marks the program shed by the overhead budget (`reason`) or no longer shed (`nil`); the owner
    /// then calls ``apply(enabled:)`` with its switch to detach or re-attach it.
    func shed(reason: String?) {
        shedReason = reason
    }

    /// Detaches the program after `error` (a failed attach or baseline), reported until the next attach.
    func fail(_ error: BPFError) {
        program?.detach()
        failure = error
        logger.warning("Attaching an eBPF program failed", metadata: ["program": "\(Program.name)", "error": "\(error)"])
    }

    /// What the program lacks on this kernel although it runs, e.g. a tracepoint added in a later release.
    var missingDetail: String? {
        guard let missing = program?.missingHooks, !missing.isEmpty else { return nil }
        return missing.map { "no \($0.tracepoint) tracepoint on this kernel: \($0.lossWhenMissing ?? "")" }
            .joined(separator: "; ")
    }

    /// The object in `status`: its loaded hooks, attached or why not.
    var status: ProgramStatus {
        let hooks = program?.hooks ?? "-"
        guard attached != nil else {
            return ProgramStatus(name: Program.name, hook: hooks, attached: false, detail: unavailableReason)
        }
        return ProgramStatus(name: Program.name, hook: hooks, attached: true, detail: missingDetail)
    }

    /// One report per loaded BPF program; one row naming the failure when the object did not load.
    func overheads(kernelKeepsStatistics: Bool) -> [ProgramOverhead] {
        guard let program else {
            return [ProgramOverhead(name: Program.name, hook: "-", attached: false, detail: unavailableReason)]
        }
        return program.overheads(kernelKeepsStatistics: kernelKeepsStatistics)
    }

    /// Detaches and unloads the program for good.
    func shutdown() {
        program?.detach()
        program = nil
    }
}
