import CSmoothTaskBPFTypes

/// One process's counts of the `process_memory` map: `struct process_memory_events` of
/// bpf/memory_events.h, imported from the header the program is compiled with.
typealias ProcessMemoryEvents = process_memory_events
