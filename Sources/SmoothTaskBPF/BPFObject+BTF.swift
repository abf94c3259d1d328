import CLibBPF

extension BPFObject {
    /// `struct name` as this object's BTF lays it out (the BPF compiler's view), or `nil` when the
    /// object's BTF has no such struct (no map or program of it uses one). Needs no load.
    public func btfStructLayout(named structName: String) -> BTFStructLayout? {
        guard let btf = bpf_object__btf(pointer) else { return nil }
        let id = btf__find_by_name_kind(btf, structName, UInt32(BTF_KIND_STRUCT as Int))
        guard id > 0, let type = btf__type_by_id(btf, UInt32(id)) else { return nil }
        var offsets: [String: Int] = [:]
        let members = UnsafeBufferPointer(start: btf_members(type), count: Int(btf_vlen(type)))
        for (index, member) in members.enumerated() {
            let memberName = String(cString: btf__name_by_offset(btf, member.name_off))
            offsets[memberName] = Int(btf_member_bit_offset(type, UInt32(index))) / 8
        }
        // size is in a union with type in struct btf_type; for a struct it is the byte size.
        return BTFStructLayout(size: Int(type.pointee.size), memberOffsets: offsets)
    }
}
