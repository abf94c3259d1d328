import Logging
import ServiceLifecycle

/// Keeps systemd informed while the daemon runs: `WATCHDOG=1` at half the unit's `WatchdogSec=`
/// (as `sd_watchdog_enabled(3)` advises), and `STOPPING=1` the moment a graceful shutdown begins.
///
/// Each ping follows a round trip to the daemon state, so a daemon whose state actor is stuck stops
/// pinging and systemd restarts it.
struct SystemdNotificationService: Service {
    let notifier: SystemdNotifier
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        await withGracefulShutdownHandler {
            guard let timeout = notifier.watchdogTimeout else {
                try? await gracefulShutdown()
                return
            }
            logger.info("systemd watchdog enabled", metadata: ["watchdog.timeout": "\(timeout)"])
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    _ = await state.config
                    notifier.watchdog()
                    try? await Task.sleep(for: timeout / 2)
                }
            }
        } onGracefulShutdown: {
            notifier.stopping()
        }
    }
}
