/// systemd unit names read off cgroup paths: systemd names each unit's cgroup directory after it.
public enum SystemdUnit {
    /// Suffixes of the unit types that own cgroups.
    static let cgroupUnitSuffixes = [".service", ".scope", ".slice", ".socket", ".mount", ".swap"]

    /// The deepest unit on `path` (`/system.slice/ssh.service/x` -> `ssh.service`), or `nil`.
    public static func name(of path: String) -> String? {
        path.split(separator: "/").last(where: isUnitName).map(String.init)
    }

    /// The path of the deepest unit directory on `path` (`/system.slice/ssh.service/x` ->
    /// `/system.slice/ssh.service`); `path` itself when no component is a unit.
    public static func directory(containing path: String) -> String {
        let components = path.split(separator: "/")
        guard let last = components.lastIndex(where: isUnitName) else { return path }
        return "/" + components[...last].joined(separator: "/")
    }

    private static func isUnitName(_ component: Substring) -> Bool {
        cgroupUnitSuffixes.contains { component.hasSuffix($0) && component.count > $0.count }
    }
}
