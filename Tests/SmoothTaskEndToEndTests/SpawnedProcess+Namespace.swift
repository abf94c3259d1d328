import Foundation

extension SpawnedProcess {
    /// `script` run by /bin/sh inside the pid and mount namespace of `pid` (nsenter forks it in).
    convenience init(inNamespaceOf pid: pid_t, script: String) throws {
        try self.init(["/usr/bin/nsenter", "--target", String(pid), "--pid", "--mount", "/bin/sh", "-c", script])
    }
}
