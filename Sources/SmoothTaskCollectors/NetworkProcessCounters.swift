import CSmoothTaskBPFTypes

/// One process's IPv4/IPv6 socket traffic since load: `struct network_process_counters` of
/// bpf/network_metrics.h, imported from the header the program is compiled with.
typealias NetworkProcessCounters = network_process_counters

