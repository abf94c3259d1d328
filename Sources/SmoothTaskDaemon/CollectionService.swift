import Logging
import ServiceLifecycle
import SmoothTaskCollectors
import SmoothTaskModel

/// Collects every `collection_interval`, on a fixed cadence that does not drift with collection time.
///
/// A new interval takes effect at once: the next tick is rescheduled from the last collection.
///
/// The loop, its timer and the state updates between collectors run on `executor`'s thread (the
/// collectors' own), never on the cooperative pool that answers requests: a burst of requests cannot
/// delay a tick, and a tick takes no thread from requests.
public struct CollectionService: Service {
    private let state: DaemonState
    private let executor: CollectionExecutor
    private let logger: Logger

    /// What wakes the loop: a scheduled tick (stale ones, from a replaced schedule, are ignored) or a
    /// new configuration.
    private enum Event: Sendable {
        case tick(schedule: Int)
        case configured(EbpfConfig)
    }

    /// Creates the loop over `state`, run on `executor` (the one the collectors run on).
    public init(state: DaemonState, executor: CollectionExecutor, logger: Logger) {
        self.state = state
        self.executor = executor
        self.logger = logger
    }

    public func run() async throws {
        // Child tasks inherit the preference; the ticker, an unstructured task, is given it below.
        await withTaskExecutorPreference(executor) {
            await cancelWhenGracefulShutdown {
                await withDiscardingTaskGroup { group in
                    let (events, sink) = AsyncStream.makeStream(of: Event.self)
                    group.addTask {
                        for await config in state.configUpdates { sink.yield(.configured(config)) }
                    }
                    await loop(events: events, sink: sink)
                    group.cancelAll()
                }
            }
        }
        await state.shutdown()
        logger.info("Collection stopped; eBPF programs detached")
    }

    private func loop(events: AsyncStream<Event>, sink: AsyncStream<Event>.Continuation) async {
        let clock = ContinuousClock()
        var interval = await state.config.collectionInterval
        var lastCollection = clock.now
        var schedule = 0
        var ticker: Task<Void, Never>?
        func scheduleTick() {
            ticker?.cancel()
            schedule += 1
            let deadline = lastCollection.advanced(by: interval)
            ticker = Task(executorPreference: executor) { [schedule] in
                guard (try? await Task.sleep(until: deadline, clock: clock)) != nil else { return }
                sink.yield(.tick(schedule: schedule))
            }
        }
        scheduleTick()
        for await event in events {
            switch event {
            case .tick(let tickSchedule) where tickSchedule == schedule:
                let due = lastCollection.advanced(by: interval)
                // Falling behind (a suspended machine) restarts the cadence instead of bursting to catch up.
                lastCollection = clock.now - due > interval ? clock.now : due
                await state.collect()
                scheduleTick()
            case .tick:
                continue
            case .configured(let config) where config.collectionInterval != interval:
                interval = config.collectionInterval
                logger.info("Collection interval changed", metadata: ["interval.ms": "\(config.collectionIntervalMilliseconds)"])
                scheduleTick()
            case .configured:
                continue
            }
        }
        ticker?.cancel()
    }
}
