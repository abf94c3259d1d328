import Foundation

/// The host's /proc visibility rules, which ``Viewer`` applies to each caller.
///
/// When /proc is mounted with `hidepid=1|2|4` (`noaccess`, `invisible`, `ptraceable`), an unprivileged
/// user cannot read other users' /proc/PID; the daemon then shows such a caller only the per-process
/// rows of processes it owns. Root, and members of the mount's `gid=` group, see all. System totals
/// are never filtered.
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

    /// The effective uid owning /proc/PID, the owner hidepid compares against; `nil` once it exited.
    static func ownerUID(of pid: Int32) -> UInt32? {
        var info = stat()
        guard stat("\(procRoot)/\(pid)", &info) == 0 else { return nil }
        return info.st_uid
    }
}
