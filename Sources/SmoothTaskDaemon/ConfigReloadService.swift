import Logging
import ServiceLifecycle
import UnixSignals

/// Re-reads the configuration file on SIGHUP (`systemctl reload smoothtaskd`). A file that cannot
/// be read or holds a bad value is logged with the reason and the running configuration stays.
struct ConfigReloadService: Service {
    let store: ConfigStore
    let state: DaemonState
    let notifier: SystemdNotifier
    let readyStatus: String
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                await reload()
            }
        }
    }

    private func reload() async {
        notifier.reloading()
        defer { notifier.ready(status: readyStatus) }
        let metadata: Logger.Metadata = ["config.path": "\(store.path)"]
        do {
            guard let loaded = try store.load() else {
                logger.warning("Configuration file missing; keeping the running configuration", metadata: metadata)
                return
            }
            let config = await state.replace(with: loaded)
            await state.recordConfigFile(error: nil)
            logger.notice("Configuration reloaded", metadata: metadata.merging(["config": "\(config)"]) { $1 })
        } catch {
            await state.recordConfigFile(error: "\(error)")
            logger.error(
                "Configuration reload refused; keeping the running configuration",
                metadata: metadata.merging(["reason": "\(error)"]) { $1 }
            )
        }
    }
}
