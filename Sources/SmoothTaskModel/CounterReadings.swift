/// The cumulative counters of one collection, for the Prometheus exposition: each counts from boot
/// (/proc) or from its program's load (eBPF maps), so only its increase between two readings means
/// anything. A field is `nil` when its area is switched off or could not be read.
///
/// Not on the wire: the daemon keeps the latest one next to its collection and the exposition
/// turns it into counter and histogram families (`SmoothTaskExposition.CounterExport`).
public struct CounterReadings: Sendable, Equatable {
    /// One block device's totals since the disk program was loaded.
    public struct Disk: Sendable, Equatable {
        /// The kernel's name for the disk (`vda`, `nvme0n1`), or `MAJ:MIN` once it is gone.
        public var name: String
        /// Read requests completed.
        public var readRequests: UInt64
        /// Write requests completed.
        public var writeRequests: UInt64
        /// Other requests completed: flush, discard, write-zeroes and the like.
        public var otherRequests: UInt64
        /// Bytes read.
        public var readBytes: UInt64
        /// Bytes written.
        public var writeBytes: UInt64
        /// Issue-to-completion time of every completed request; `sumNanoseconds` is the I/O time.
        public var latency: LatencyHistogram

        /// Creates one device's totals.
        public init(
            name: String, readRequests: UInt64, writeRequests: UInt64, otherRequests: UInt64, readBytes: UInt64,
            writeBytes: UInt64, latency: LatencyHistogram
        ) {
            self.name = name
            self.readRequests = readRequests
            self.writeRequests = writeRequests
            self.otherRequests = otherRequests
            self.readBytes = readBytes
            self.writeBytes = writeBytes
            self.latency = latency
        }
    }

    /// One network interface's totals since the network program was loaded.
    public struct Interface: Sendable, Equatable {
        /// Interface name (`lo`, `eth0`), or `if<index>` when it is gone.
        public var name: String
        /// Bytes received, link-layer header included.
        public var receivedBytes: UInt64
        /// Packets received (a GRO super-packet counts once).
        public var receivedPackets: UInt64
        /// Bytes sent, link-layer header included.
        public var sentBytes: UInt64
        /// Packets sent (a TSO super-packet counts once).
        public var sentPackets: UInt64

        /// Creates one interface's totals.
        public init(name: String, receivedBytes: UInt64, receivedPackets: UInt64, sentBytes: UInt64, sentPackets: UInt64) {
            self.name = name
            self.receivedBytes = receivedBytes
            self.receivedPackets = receivedPackets
            self.sentBytes = sentBytes
            self.sentPackets = sentPackets
        }
    }

    /// One /proc/pressure file's stall totals since boot.
    public struct Pressure: Sendable, Equatable {
        /// `cpu`, `memory` or `io`.
        public var resource: String
        /// Microseconds in which at least one task stalled on the resource.
        public var someMicroseconds: UInt64
        /// Microseconds in which every non-idle task stalled at once; `nil` where the kernel has no
        /// `full` line (cpu before Linux 5.13).
        public var fullMicroseconds: UInt64?

        /// Creates one resource's totals.
        public init(resource: String, someMicroseconds: UInt64, fullMicroseconds: UInt64?) {
            self.resource = resource
            self.someMicroseconds = someMicroseconds
            self.fullMicroseconds = fullMicroseconds
        }
    }

    /// Seconds per CPU number and /proc/stat mode (`user`, `nice`, `system`, `idle`, `iowait`,
    /// `irq`, `softirq`, `steal`) since boot.
    public var cpuModeSeconds: [Int: [String: Double]]?
    /// Seconds per CPU number running a task (`busy`) or the idle task (`idle`), as the eBPF
    /// sched_switch accounting measures them since attach.
    public var cpuSchedSeconds: [Int: [String: Double]]?
    /// Syscalls that returned, per syscall name (`syscall_<n>` for a number this architecture's table
    /// does not name) since the syscall program was loaded.
    public var syscalls: [String: UInt64]?
    /// Failed syscalls per errno name (`E<n>` for an unnamed one) since the syscall program was loaded.
    public var syscallFailures: [String: UInt64]?
    /// User-mode page faults since the memory program was loaded.
    public var userFaults: UInt64?
    /// Direct-reclaim stalls since the memory program was loaded.
    public var reclaimStalls: UInt64?
    /// Nanoseconds spent in those stalls.
    public var reclaimStallNanoseconds: UInt64?
    /// OOM kills since the memory program was loaded.
    public var oomKills: UInt64?
    /// PSI stall totals of each resource the kernel reports; empty without PSI.
    public var pressure: [Pressure]
    /// Every block device the disk program has seen complete a request.
    public var disks: [Disk]?
    /// Every interface the network program has seen a packet on.
    public var interfaces: [Interface]?
    /// TCP segments retransmitted since the network program was loaded.
    public var tcpRetransmits: UInt64?
    /// Run-queue waits since the sched_latency program was loaded (all CPUs).
    public var runQueueWait: LatencyHistogram?

    /// An empty reading: nothing measured.
    public init() {
        pressure = []
    }
}
