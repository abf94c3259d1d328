import SmoothTaskBPF

/// The one ``SchedulerObject`` of a ``ProgramLoader`` and its copies: loaded by the first area that
/// asks, handed to the others, so the three scheduler areas share one sched_switch program. A failed
/// load is kept and thrown to each of them.
final class SchedulerObjectCache {
    private var loaded: Result<SchedulerObject, BPFError>?

    /// The loader's scheduler object, loaded with `loader` on first use.
    func object(loader: ProgramLoader) throws(BPFError) -> SchedulerObject {
        if let loaded { return try loaded.get() }
        let result = Result { () throws(BPFError) in try SchedulerObject(loader: loader) }
        loaded = result
        return try result.get()
    }
}
