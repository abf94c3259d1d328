#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibBPF

/// One map of a loaded ``BPFObject``, read and written from userspace; it keeps the object alive.
public final class BPFMap {
    /// The object the map belongs to.
    public let object: BPFObject
    private let pointer: OpaquePointer
    /// Entries the latest ``batchedEntries(keyType:valueType:entriesPerCall:reusing:)`` read: the next read
    /// reserves that many at once instead of growing its dictionary by doubling through each chunk.
    @usableFromInline var latestBatchedCount = 0

    init(object: BPFObject, pointer: OpaquePointer) {
        self.object = object
        self.pointer = pointer
    }

    /// The map's name in the object, e.g. `cpu_accounting`.
    public var name: String { String(cString: bpf_map__name(pointer)) }

    /// Bytes of one value (for per-CPU maps: of one CPU's value).
    public var valueSize: Int { Int(bpf_map__value_size(pointer)) }

    /// Bytes of one key.
    public var keySize: Int { Int(bpf_map__key_size(pointer)) }

    /// The most entries the map holds.
    public var maxEntries: Int { Int(bpf_map__max_entries(pointer)) }

    @usableFromInline var fileDescriptor: Int32 { bpf_map__fd(pointer) }

    /// How many values a per-CPU map has per key: one per possible CPU, online or not.
    public static func possibleCPUCount() throws(BPFError) -> Int {
        let count = libbpf_num_possible_cpus()
        guard count > 0 else { throw .mapAccessFailed(map: "-", operation: "counting possible CPUs", errno: -count) }
        return Int(count)
    }

    /// The values of `key` in a per-CPU map, indexed by CPU number.
    public func perCPUValues<Key: BitwiseCopyable, Value: BitwiseCopyable>(
        at key: Key, as _: Value.Type = Value.self
    ) throws(BPFError) -> [Value] {
        try checkSizes(key: Key.self, value: Value.self)
        let cpus = try Self.possibleCPUCount()
        let stride = Self.perCPUStride(of: Value.self)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: stride * cpus, alignment: 8)
        defer { buffer.deallocate() }
        var key = key
        let result = bpf_map_lookup_elem(fileDescriptor, &key, buffer.baseAddress)
        guard result == 0 else { throw .mapAccessFailed(map: name, operation: "lookup", errno: Glibc.errno) }
        return (0..<cpus).map { buffer.load(fromByteOffset: $0 * stride, as: Value.self) }
    }

    /// Writes `values` (one per possible CPU) to `key` of a per-CPU map.
    public func setPerCPUValues<Key: BitwiseCopyable, Value: BitwiseCopyable>(
        _ values: [Value], at key: Key
    ) throws(BPFError) {
        try checkSizes(key: Key.self, value: Value.self)
        let cpus = try Self.possibleCPUCount()
        guard values.count == cpus else {
            throw .mapAccessFailed(map: name, operation: "update with \(values.count) of \(cpus) CPUs", errno: EINVAL)
        }
        let stride = Self.perCPUStride(of: Value.self)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: stride * cpus, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        for (cpu, value) in values.enumerated() {
            buffer.storeBytes(of: value, toByteOffset: cpu * stride, as: Value.self)
        }
        var key = key
        guard bpf_map_update_elem(fileDescriptor, &key, buffer.baseAddress, UInt64(BPF_ANY)) == 0 else {
            throw .mapAccessFailed(map: name, operation: "update", errno: Glibc.errno)
        }
    }

    /// Writes `value` to `key` of a (non-per-CPU) map, e.g. key 0 of an object's `.bss`, whose one
    /// value is all its mutable globals: the programs see it at their next run, no reload.
    public func setValue<Key: BitwiseCopyable, Value: BitwiseCopyable>(_ value: Value, at key: Key) throws(BPFError) {
        try checkSizes(key: Key.self, value: Value.self)
        var key = key
        var value = value
        guard bpf_map_update_elem(fileDescriptor, &key, &value, UInt64(BPF_ANY)) == 0 else {
            throw .mapAccessFailed(map: name, operation: "update", errno: Glibc.errno)
        }
    }

    /// Leaves the map out of ``BPFObject/load()`` (or puts it back): for a map type this kernel
    /// lacks, used only by programs left out with ``BPFProgram/setAutoload(_:)``. Only before load.
    public func setAutocreate(_ autocreate: Bool) throws(BPFError) {
        guard bpf_map__set_autocreate(pointer, autocreate) == 0 else {
            throw .knobRejected(object: object.name, name: name, detail: "autocreate cannot change after load")
        }
    }

    /// Every entry of a (non-per-CPU) hash or array map.
    ///
    /// Read with ``batchedEntries(keyType:valueType:)`` (a few syscalls for the whole map) where the
    /// kernel supports it for this map type, otherwise key by key with
    /// ``entriesKeyByKey(keyType:valueType:)`` (two syscalls per entry).
    /// - Parameter spare: an earlier reading the caller no longer needs, refilled instead of a new
    ///   dictionary (see ``batchedEntries(keyType:valueType:entriesPerCall:reusing:)``).
    public func entries<Key: BitwiseCopyable & Hashable, Value: BitwiseCopyable>(
        keyType _: Key.Type = Key.self, valueType _: Value.Type = Value.self, reusing spare: consuming [Key: Value] = [:]
    ) throws(BPFError) -> [Key: Value] {
        if let entries = try batchedEntries(keyType: Key.self, valueType: Value.self, reusing: spare) { return entries }
        return try entriesKeyByKey(keyType: Key.self, valueType: Value.self)
    }

    /// Every entry of a (non-per-CPU) map, walked with `bpf_map_get_next_key` and one lookup per key.
    ///
    /// The kernel may add or evict entries during the walk: an entry added meanwhile may be missing,
    /// and if the key the walk stands on is evicted the kernel restarts from the first key, which the
    /// dictionary absorbs; the walk stops after ``maxEntries`` keys in any case.
    public func entriesKeyByKey<Key: BitwiseCopyable & Hashable, Value: BitwiseCopyable>(
        keyType _: Key.Type = Key.self, valueType _: Value.Type = Value.self
    ) throws(BPFError) -> [Key: Value] {
        try checkSizes(key: Key.self, value: Value.self)
        var entries: [Key: Value] = [:]
        let keyBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: MemoryLayout<Key>.size, alignment: 8)
        let valueBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: MemoryLayout<Value>.size, alignment: 8)
        defer {
            keyBuffer.deallocate()
            valueBuffer.deallocate()
        }
        var previousKey: UnsafeMutableRawPointer? = nil
        let previousKeyStorage = UnsafeMutableRawBufferPointer.allocate(byteCount: MemoryLayout<Key>.size, alignment: 8)
        defer { previousKeyStorage.deallocate() }
        for _ in 0..<maxEntries {
            guard bpf_map_get_next_key(fileDescriptor, previousKey, keyBuffer.baseAddress) == 0 else {
                let code = Glibc.errno
                if code == ENOENT { break }
                throw .mapAccessFailed(map: name, operation: "get_next_key", errno: code)
            }
            if bpf_map_lookup_elem(fileDescriptor, keyBuffer.baseAddress, valueBuffer.baseAddress) == 0 {
                entries[keyBuffer.load(as: Key.self)] = valueBuffer.load(as: Value.self)
            } else if Glibc.errno != ENOENT {  // ENOENT: evicted between the two calls
                throw .mapAccessFailed(map: name, operation: "lookup", errno: Glibc.errno)
            }
            previousKeyStorage.copyMemory(from: UnsafeRawBufferPointer(keyBuffer))
            previousKey = previousKeyStorage.baseAddress
        }
        return entries
    }

    /// Removes `key`; a key already gone is not an error.
    public func delete<Key: BitwiseCopyable>(_ key: Key) throws(BPFError) {
        guard MemoryLayout<Key>.size == keySize else {
            throw .layoutMismatch(map: name, part: "key", kernelBytes: keySize, swiftBytes: MemoryLayout<Key>.size)
        }
        var key = key
        guard bpf_map_delete_elem(fileDescriptor, &key) == 0 || Glibc.errno == ENOENT else {
            throw .mapAccessFailed(map: name, operation: "delete", errno: Glibc.errno)
        }
    }

    // The kernel copies per-CPU values to userspace each rounded up to 8 bytes.
    static func perCPUStride<Value>(of _: Value.Type) -> Int {
        (MemoryLayout<Value>.size + 7) & ~7
    }

    @usableFromInline func checkSizes<Key, Value>(key _: Key.Type, value _: Value.Type) throws(BPFError) {
        guard MemoryLayout<Key>.size == keySize else {
            throw .layoutMismatch(map: name, part: "key", kernelBytes: keySize, swiftBytes: MemoryLayout<Key>.size)
        }
        guard MemoryLayout<Value>.size == valueSize else {
            throw .layoutMismatch(map: name, part: "value", kernelBytes: valueSize, swiftBytes: MemoryLayout<Value>.size)
        }
    }
}
