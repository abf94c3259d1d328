/// The most recently exited processes, newest last, bounded by count: what `processes.exited`
/// lists and `status` sizes.
struct RecentExits: Sendable {
    /// The most processes kept; older ones make room.
    let capacity: Int
    private var ring: [ExitedProcess] = []
    private var next = 0
    /// Where each process held is in ``ring``, so a late record or leftover finds it at once.
    private var slots: [ExitedProcess.Key: Int] = [:]
    /// Exits ever added, evicted ones included.
    private(set) var seen: UInt64 = 0
    /// Exits whose record was lost before reaching the list (kernel ring buffer or inbox full).
    var dropped: UInt64 = 0
    /// Entries the kernel's process table could not make (it was full), as its counter says.
    var tableFull: UInt64 = 0
    /// Heap bytes the command lines take, beyond the fixed size of each entry.
    private var commandBytes = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds `process`, evicting the oldest when full.
    mutating func append(_ process: ExitedProcess) {
        seen += 1
        commandBytes += Self.heapBytes(of: process)
        guard ring.count == capacity else {
            slots[process.key] = ring.count
            ring.append(process)
            return
        }
        commandBytes -= Self.heapBytes(of: ring[next])
        slots[ring[next].key] = nil
        slots[process.key] = next
        ring[next] = process
        next = (next + 1) % capacity
    }

    /// Merges a second record of a process already held (see ``ProcessCounters/merging(_:)``);
    /// returns false if it is not held.
    mutating func merge(_ process: ExitedProcess) -> Bool {
        guard let index = slots[process.key] else { return false }
        ring[index].totals = ring[index].totals.merging(process.totals)
        return true
    }

    /// Adds `counters` to the totals of the process `key` if it is held, and returns it.
    mutating func add(_ counters: ProcessCounters, to key: ExitedProcess.Key) -> ExitedProcess? {
        guard let index = slots[key] else { return nil }
        ring[index].totals = ring[index].totals.adding(counters)
        return ring[index]
    }

    /// The newest process held with this pid.
    func newest(pid: UInt32) -> ExitedProcess? {
        guard !ring.isEmpty else { return nil }
        for back in 1...ring.count {
            let process = ring[(next - back + ring.count) % ring.count]
            if process.pid == pid { return process }
        }
        return nil
    }

    /// Every process held, oldest first.
    var processes: [ExitedProcess] {
        ring.count < capacity ? ring : Array(ring[next...] + ring[..<next])
    }

    /// Processes held now.
    var count: Int { ring.count }

    /// Bytes the list takes: its entries, their command lines and the index (about 2 words and a
    /// key per slot in Swift's hash table).
    var memoryBytes: Int {
        ring.capacity * MemoryLayout<ExitedProcess>.stride + commandBytes
            + slots.capacity * (MemoryLayout<ExitedProcess.Key>.stride + MemoryLayout<Int>.stride + 2)
    }

    private static func heapBytes(of process: ExitedProcess) -> Int {
        // Swift keeps strings of up to 15 UTF-8 bytes inline (comm always fits).
        guard let command = process.command, command.utf8.count > 15 else { return 0 }
        return command.utf8.count + 32
    }
}
