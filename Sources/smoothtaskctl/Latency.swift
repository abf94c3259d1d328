import ArgumentParser
import SmoothTaskModel

extension SmoothTaskControl {
    struct Latency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "latency",
            abstract: "Show run-queue latency: how long runnable threads waited for a CPU.",
            discussion: """
                The histogram of every wait from wakeup or preemption to running in the last \
                collection window (each row one log2 bucket, its exact bounds), its p50/p95/p99 and \
                exact maximum, and the processes whose threads waited longest in total. Needs \
                enable_sched_latency=true (`smoothtaskctl config set enable_sched_latency=true`).

                With --json, prints the `sched_latency` member of metrics.get, or, while it is not \
                measured, {"sched_latency": null, "reason": "..."} with why.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try DaemonCall.run(
                .metricsGet, options: connection, as: EbpfMetrics.self, member: "sched_latency", render: TextReport.schedLatency
            )
        }
    }
}
