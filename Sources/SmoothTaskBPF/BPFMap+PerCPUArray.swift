#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF

extension BPFMap {
    /// Every slot of a per-CPU array of `UInt64` counters, summed over the CPUs, indexed by key.
    ///
    /// One `BPF_MAP_LOOKUP_BATCH` call reads the whole array (Linux 5.6+), instead of one syscall
    /// per slot.
    public func perCPUArraySums() throws(BPFError) -> [UInt64] {
        try checkSizes(key: UInt32.self, value: UInt64.self)
        let cpus = try Self.possibleCPUCount()
        let slots = maxEntries
        let stride = Self.perCPUStride(of: UInt64.self)
        let keys = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: slots)
        let values = UnsafeMutableRawBufferPointer.allocate(byteCount: slots * cpus * stride, alignment: 8)
        defer {
            keys.deallocate()
            values.deallocate()
        }
        var nextBatch: UInt32 = 0
        var count = UInt32(slots)
        var options = bpf_map_batch_opts()
        options.sz = MemoryLayout<bpf_map_batch_opts>.size
        let result = bpf_map_lookup_batch(fileDescriptor, nil, &nextBatch, keys.baseAddress, values.baseAddress, &count, &options)
        // ENOENT means the batch reached the end of the map, which it does when it read everything.
        guard result == 0 || Glibc.errno == ENOENT else {
            throw .mapAccessFailed(map: name, operation: "lookup_batch", errno: Glibc.errno)
        }
        var sums = [UInt64](repeating: 0, count: slots)
        for entry in 0..<Int(count) {
            let key = Int(keys[entry])
            guard key < slots else { continue }
            for cpu in 0..<cpus {
                sums[key] &+= values.load(fromByteOffset: (entry * cpus + cpu) * stride, as: UInt64.self)
            }
        }
        return sums
    }
}
