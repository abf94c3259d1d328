/// Shared libraries mapped into this process, from /proc/self/maps: which file was really loaded,
/// whatever the headers said at build time (Debian names them with their version, libelf-0.188.so).
enum LoadedLibrary {
    /// The first mapped file whose path contains `fragment`, e.g. `/usr/lib/x86_64-linux-gnu/libelf-0.188.so`.
    static func path(containing fragment: String) -> String? {
        guard case .success(let maps) = ProcFile.contents(of: "/proc/self/maps") else { return nil }
        return maps.split(separator: "\n").lazy
            .compactMap { line in line.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) }
            .first { $0.hasPrefix("/") && $0.contains(fragment) }
    }
}
