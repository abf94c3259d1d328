import Foundation
import SmoothTaskModel
import SmoothTaskServer

/// Which processes a caller may see in detail, following the host's own /proc rules.
///
/// When /proc is mounted with `hidepid=1|2|4` (`noaccess`, `invisible`, `ptraceable`), an unprivileged
/// user cannot read other users' /proc/PID; the daemon then shows such a caller only processes it
/// owns in `top_processes`. Root, and callers whose primary group is the mount's `gid=`, see all.
/// System totals are never filtered.
struct ProcVisibility: Sendable, Equatable {
    /// True when /proc hides other users' processes.
    var hidesOtherUsers: Bool
    /// The `gid=` mount option: members see every process despite `hidepid`.
    var exemptGID: UInt32?

    /// Where the mount table of the daemon's own mount namespace is.
    static let mountInfoPath = "/proc/self/mountinfo"
    /// Where process directories are, owned by each process's effective uid.
    static let procRoot = "/proc"

    /// The visibility rules of the /proc mount in `mountInfo` (the text of /proc/self/mountinfo);
    /// the last mount on /proc is the one in force. No /proc mount means no hiding.
    static func parse(mountInfo: String) -> ProcVisibility {
        var visibility = ProcVisibility(hidesOtherUsers: false, exemptGID: nil)
        for line in mountInfo.split(separator: "\n") {
            // "36 35 0:4 / /proc rw,nosuid shared:14 - proc proc rw,hidepid=invisible,gid=27"
            let halves = line.split(separator: " - ", maxSplits: 1)
            let mount = halves.first?.split(separator: " ") ?? []
            let filesystem = halves.count == 2 ? halves[1].split(separator: " ") : []
            guard mount.count >= 5, mount[4] == procRoot, filesystem.count >= 3, filesystem[0] == "proc" else { continue }
            visibility = ProcVisibility(hidesOtherUsers: false, exemptGID: nil)
            for option in filesystem[2].split(separator: ",") {
                let pair = option.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                switch pair[0] {
                case "hidepid": visibility.hidesOtherUsers = !["0", "off"].contains(pair[1])
                case "gid": visibility.exemptGID = UInt32(pair[1])
                default: break
                }
            }
        }
        return visibility
    }

    /// The rules in force now, read from ``mountInfoPath``; unreadable means no hiding, as /proc
    /// itself would then not hide anything from the daemon's callers either.
    static func current() -> ProcVisibility {
        parse(mountInfo: (try? String(contentsOfFile: mountInfoPath, encoding: .utf8)) ?? "")
    }

    /// The rules that apply to `caller`: root sees every process whatever the mount says, so its
    /// requests skip reading the mount table (a third of a `metrics.get` round trip on a busy host).
    static func current(for caller: PeerCredentials) -> ProcVisibility {
        caller.uid == 0 ? ProcVisibility(hidesOtherUsers: false, exemptGID: nil) : current()
    }

    /// True when `caller` may see every process's detail.
    func showsEverything(to caller: PeerCredentials) -> Bool {
        !hidesOtherUsers || caller.uid == 0 || caller.gid == exemptGID
    }

    /// `metrics` as `caller` may see it: `top_processes` keeps only the caller's own processes when
    /// /proc hides the others; everything else is unchanged.
    func filter(_ metrics: EbpfMetrics, for caller: PeerCredentials) -> EbpfMetrics {
        guard !showsEverything(to: caller), let processes = metrics.topProcesses else { return metrics }
        var visible = metrics
        visible.topProcesses = processes.filter { Self.ownerUID(of: $0.pid) == caller.uid }
        return visible
    }

    /// The effective uid owning /proc/PID, the owner hidepid compares against; `nil` once it exited.
    static func ownerUID(of pid: Int32) -> UInt32? {
        var info = stat()
        guard stat("\(procRoot)/\(pid)", &info) == 0 else { return nil }
        return info.st_uid
    }
}
