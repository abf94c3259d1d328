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
    /// The buffers hold ``batchBufferBytes`` of entries (at least ``batchMinimumEntries``), not the
    /// whole map: sized for `maxEntries`, a 16k-entry map of 300-byte values took a fresh 5 MiB mmap
    /// every read, which the kernel's copy then faulted in page by page (the allocator returns blocks
    /// that large at free), so a tick's cost grew with what the map could hold rather than what it held.
    /// A bucket larger than the buffer (`ENOSPC`) doubles it and reads the bucket again.
    ///
    /// Inlinable so callers get it specialized for their key and value types: unspecialized, the
    /// dictionary inserts look up generic metadata per entry, which cost as much as the syscalls.
    /// - Parameters:
    ///   - entriesPerCall: entries each call may return; `nil` for ``batchBufferBytes`` worth.
    ///   - spare: a dictionary the caller no longer needs (an earlier reading), emptied and filled
    ///     instead of a new one: with 10,000 processes a reading is megabytes, above the allocator's
    ///     mmap threshold, so a new one each tick was mapped, faulted and zeroed page by page again.
    ///     Only reused while its capacity is at most ``spareCapacityFactor`` times what the latest
    ///     read held, so a burst's buffer is dropped once the map shrinks.
    @inlinable
    public func batchedEntries<Key: BitwiseCopyable & Hashable, Value: BitwiseCopyable>(
        keyType _: Key.Type = Key.self, valueType _: Value.Type = Value.self, entriesPerCall: Int? = nil,
        reusing spare: consuming [Key: Value] = [:]
    ) throws(BPFError) -> [Key: Value]? {
        try checkSizes(key: Key.self, value: Value.self)
        // The kernel packs keys and values at their sizes (``checkSizes`` matched them), not Swift's strides.
        let keySize = MemoryLayout<Key>.size
        let valueSize = MemoryLayout<Value>.size
        let capacity = max(maxEntries, 1)
        var chunk = min(capacity, max(entriesPerCall ?? Self.batchBufferBytes / max(keySize + valueSize, 1), 1))
        if entriesPerCall == nil { chunk = min(capacity, max(chunk, Self.batchMinimumEntries)) }
        var keys = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk * keySize, alignment: 8)
        var values = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk * valueSize, alignment: 8)
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
        let expected = min(latestBatchedCount + latestBatchedCount / 8, capacity)
        var entries = spare
        if entries.capacity > Self.spareCapacityFactor * max(expected, Self.batchMinimumEntries) {
            entries = [:]
        } else {
            entries.removeAll(keepingCapacity: true)
        }
        entries.reserveCapacity(expected)
        var position: UnsafeMutableRawPointer? = nil  // nil: from the start
        // A call returns at least one bucket or ends the map, and a bucket too large for the buffer
        // doubles it (at most log2(capacity) times), so this many calls always suffice.
        let callLimit = capacity + Int.bitWidth
        for _ in 0..<callLimit {
            var count = UInt32(chunk)
            let result = bpf_map_lookup_batch(
                fileDescriptor, position, outToken.baseAddress, keys.baseAddress, values.baseAddress, &count, &options
            )
            let code = result == 0 ? 0 : Glibc.errno
            if position == nil, [EINVAL, EOPNOTSUPP, Self.kernelNotSupportedErrno].contains(code) { return nil }
            if code == ENOSPC, count == 0, chunk < capacity {
                // The next bucket holds more entries than the buffer: grow it and read the bucket again.
                chunk = min(capacity, chunk * 2)
                keys.deallocate()
                values.deallocate()
                keys = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk * keySize, alignment: 8)
                values = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk * valueSize, alignment: 8)
                continue
            }
            // ENOENT: the end of the map was reached; `count` still says how many entries this call read.
            guard code == 0 || code == ENOENT else {
                throw .mapAccessFailed(map: name, operation: "lookup_batch", errno: code)
            }
            for index in 0..<Int(count) {
                let key = keys.loadUnaligned(fromByteOffset: index * keySize, as: Key.self)
                entries[key] = values.loadUnaligned(fromByteOffset: index * valueSize, as: Value.self)
            }
            if code == ENOENT { break }
            inToken.copyMemory(from: UnsafeRawBufferPointer(outToken))
            position = inToken.baseAddress
        }
        latestBatchedCount = entries.count
        return entries
    }

    /// Bytes of keys and values one batch call reads at most: under the allocator's mmap threshold
    /// (CAllocatorTuning's 128 KiB), so the buffers come from the heap, already faulted in.
    @usableFromInline static let batchBufferBytes = 96 << 10

    /// Entries one batch call may return at least, whatever their size: fewer would mean a syscall
    /// every few entries (and more `ENOSPC` retries on full buckets).
    @usableFromInline static let batchMinimumEntries = 64

    /// How many times the entries the latest read held a spare dictionary may have room for and still
    /// be reused: a map that went from 10,000 entries back to a few hundred reads into a small new
    /// one, and the burst's megabytes go back to the system.
    @usableFromInline static let spareCapacityFactor = 4
}
