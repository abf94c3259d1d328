import SmoothTaskModel

extension MetricCatalog {
    /// The overhead budget (`max_overhead_percent`): the limit, the estimate it is kept against
    /// (daemon and programs apart), each program's share, and which objects are shed. Ratios of one
    /// CPU, 0 to 1, like the catalog's other ratios.
    static func budgetFamilies(_ budget: OverheadBudget) -> [MetricFamily] {
        let shed = Set(budget.shed.map(\.object))
        return [
            MetricFamily(
                name: "smoothtask_overhead_budget_ratio",
                help: "Share of one CPU smoothtaskd and its eBPF programs may cost (max_overhead_percent / 100); 0 means no limit.",
                type: .gauge, samples: [MetricSample(budget.limitPercent / 100)]
            ),
            MetricFamily(
                name: "smoothtask_overhead_estimate_ratio",
                help: "Estimated share of one CPU over the latest collection window: the daemon (getrusage) and its attached eBPF programs (events x per-event cost).",
                type: .gauge,
                samples: [
                    MetricSample(budget.daemonPercent / 100, labels: [MetricLabel("part", "daemon")]),
                    MetricSample(budget.programsPercent / 100, labels: [MetricLabel("part", "programs")]),
                ]
            ),
            MetricFamily(
                name: "smoothtask_overhead_program_estimate_ratio",
                help: "Estimated share of one CPU of each eBPF program (what a shed one would cost back), with where its per-event cost comes from.",
                type: .gauge,
                samples: budget.programs.compactMap { program in
                    program.percent.map {
                        MetricSample($0 / 100, labels: [
                            MetricLabel("program", program.name), MetricLabel("cost_source", program.costSource.rawValue),
                        ])
                    }
                }
            ),
            MetricFamily(
                name: "smoothtask_overhead_shed",
                help: "1 while the overhead budget holds the eBPF object detached (its figures are null meanwhile), 0 otherwise.",
                type: .gauge,
                samples: budget.sheddingOrder.map { object in
                    MetricSample(shed.contains(object) ? 1 : 0, labels: [MetricLabel("object", object)])
                }
            ),
        ]
    }
}
