#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF

extension BPFMap {
    /// Linux's `ENOTSUPP` (524), which the kernel returns for a map type without batch operations;
    /// it is kernel-internal, so no libc header names it.
    @usableFromInline static let kernelNotSupportedErrno: Int32 = 524

    /// Every entry of a (non-per-CPU) hash or array map, read with `BPF_MAP_LOOKUP_BATCH` (Linux 5.6+):
    /// a few syscalls for the whole map instead of two per entry, which with 10,000 processes in a
    /// per-process map is most of a collection tick.
    ///
    /// - Returns: `nil` when this kernel cannot batch this map: `EINVAL` from kernels that predate the
    ///   command, `ENOTSUPP`/`EOPNOTSUPP` for map types without batch operations. The caller then
    ///   walks the map key by key.
    ///
    /// Each call reads whole hash buckets atomically; entries the kernel adds or evicts between calls
    /// may be missing or present, as with a key-by-key walk.
    ///
    /// Inlinable so callers get it specialized for their key and value types: unspecialized, the
    /// dictionary inserts look up generic metadata per entry, which cost as much as the syscalls.
    @inlinable
    public func batchedEntries<Key: BitwiseCopyable & Hashable, Value: BitwiseCopyable>(
        keyType _: Key.Type = Key.self, valueType _: Value.Type = Value.self
    ) throws(BPFError) -> [Key: Value]? {
        try checkSizes(key: Key.self, value: Value.self)
        let capacity = maxEntries
        // The kernel packs keys and values at their sizes (``checkSizes`` matched them), not Swift's strides.
        let keySize = MemoryLayout<Key>.size
        let valueSize = MemoryLayout<Value>.size
        let keys = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * keySize, alignment: 8)
        let values = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * valueSize, alignment: 8)
        // The position token is a bucket index (UInt32) for hash maps and a key for arrays.
        let tokenBytes = max(MemoryLayout<Key>.size, MemoryLayout<UInt64>.size)
        let inToken = UnsafeMutableRawBufferPointer.allocate(byteCount: tokenBytes, alignment: 8)
        let outToken = UnsafeMutableRawBufferPointer.allocate(byteCount: tokenBytes, alignment: 8)
        defer {
            keys.deallocate()
            values.deallocate()
            inToken.deallocate()
            outToken.deallocate()
        }
        var options = bpf_map_batch_opts()
        options.sz = MemoryLayout<bpf_map_batch_opts>.size
        var entries: [Key: Value] = [:]
        var position: UnsafeMutableRawPointer? = nil  // nil: from the start
        // A call returns at least one bucket or ends the map, so ``maxEntries`` calls always suffice.
        for _ in 0..<max(capacity, 1) {
            var count = UInt32(capacity)
            let result = bpf_map_lookup_batch(
                fileDescriptor, position, outToken.baseAddress, keys.baseAddress, values.baseAddress, &count, &options
            )
            let code = result == 0 ? 0 : Glibc.errno
            if position == nil, [EINVAL, EOPNOTSUPP, Self.kernelNotSupportedErrno].contains(code) { return nil }
            // ENOENT: the end of the map was reached; `count` still says how many entries this call read.
            guard code == 0 || code == ENOENT else {
                throw .mapAccessFailed(map: name, operation: "lookup_batch", errno: code)
            }
            entries.reserveCapacity(entries.count + Int(count))
            for index in 0..<Int(count) {
                let key = keys.loadUnaligned(fromByteOffset: index * keySize, as: Key.self)
                entries[key] = values.loadUnaligned(fromByteOffset: index * valueSize, as: Value.self)
            }
            if code == ENOENT { break }
            inToken.copyMemory(from: UnsafeRawBufferPointer(outToken))
            position = inToken.baseAddress
        }
        return entries
    }
}
