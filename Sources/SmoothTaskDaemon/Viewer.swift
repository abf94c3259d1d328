#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SmoothTaskCollectors
import SmoothTaskModel
import SmoothTaskServer

/// One caller as the visibility step sees it: who it is, and whether /proc lets it see every process.
///
/// A caller that does not see everything sees a per-process row only when it owns the process: the
/// uid the row recorded (an OOM victim's, a `processes.top` row's), else the owner of /proc/PID now,
/// which is what `hidepid` compares. A row whose process is gone and that recorded no uid has no
/// owner and is hidden (fail closed).
struct Viewer: Sendable {
    /// The caller, from `SO_PEERCRED`.
    let caller: PeerCredentials
    /// True when the caller may see every process's rows: no `hidepid`, root, or a member of the
    /// mount's `gid=` group (by primary or supplementary group).
    let seesEverything: Bool

    /// The viewer `caller` is under `rules`; `supplementaryGroups` are asked for only when they decide.
    init(caller: PeerCredentials, rules: ProcVisibility, supplementaryGroups: () -> [UInt32] = { [] }) {
        self.caller = caller
        if !rules.hidesOtherUsers || caller.uid == 0 {
            seesEverything = true
        } else if let exempt = rules.exemptGID {
            seesEverything = caller.gid == exempt || supplementaryGroups().contains(exempt)
        } else {
            seesEverything = false
        }
    }

    /// `caller` under the /proc rules in force now. Root sees everything whatever the mount says, so
    /// its requests skip reading the mount table (a third of a `metrics.get` round trip on a busy host).
    static func current(_ caller: PeerCredentials) -> Viewer {
        guard caller.uid != 0 else { return Viewer(caller: caller, rules: ProcVisibility(hidesOtherUsers: false, exemptGID: nil)) }
        return Viewer(caller: caller, rules: ProcVisibility.current()) {
            supplementaryGroups(of: caller)
        }
    }

    /// `value` with only the rows this viewer may see. The owner of each pid is looked up at most
    /// once per call, however many lists the pid appears in.
    func redact<Value: ProcessRowContainer>(_ value: Value) -> Value {
        guard !seesEverything else { return value }
        var owners: [Int32: UInt32?] = [:]
        return value.keepingRows { row in shows(row, owners: &owners) }
    }

    /// True when this viewer may see `row`; for one row at a time, with no cache.
    func shows(_ row: any ProcessRow) -> Bool {
        var owners: [Int32: UInt32?] = [:]
        return shows(row, owners: &owners)
    }

    private func shows(_ row: any ProcessRow, owners: inout [Int32: UInt32?]) -> Bool {
        guard !seesEverything else { return true }
        if let recorded = row.recordedOwnerUID { return recorded == caller.uid }
        if owners[row.pid] == nil { owners[row.pid] = .some(ProcVisibility.ownerUID(of: row.pid)) }
        return owners[row.pid] == .some(caller.uid)
    }

    /// The groups the group database lists `caller`'s user in (`getgrouplist`); empty when the uid
    /// has no name. The kernel checks the caller process's own groups, which this approximates: a
    /// process that dropped a group it is listed in is still shown what the group may see.
    private static func supplementaryGroups(of caller: PeerCredentials) -> [UInt32] {
        guard let name = UserDirectory.name(of: caller.uid) else { return [] }
        var count: Int32 = 32
        while true {
            var groups = [gid_t](repeating: 0, count: Int(count))
            let wanted = count
            if getgrouplist(name, caller.gid, &groups, &count) >= 0 {
                return groups.prefix(Int(count)).map { UInt32($0) }
            }
            // Too small: count now holds the number needed (guard against a database that keeps growing).
            guard count > wanted else { return [] }
        }
    }
}
