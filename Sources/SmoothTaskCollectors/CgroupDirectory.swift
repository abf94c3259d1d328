#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Names cgroup v2 ids: walks the unified hierarchy and maps each directory's inode number (which
/// is its cgroup id, what `bpf_get_current_cgroup_id()` returns) to its path below the root.
///
/// The map is rebuilt only when an id it has never looked for shows up: a steady system costs one
/// dictionary lookup per cgroup per collection, and an id that stays unknown (a removed cgroup whose
/// entry is still in the kernel map) does not make every collection walk the tree again.
struct CgroupDirectory {
    /// Where the unified (v2) hierarchy is mounted on current systemd systems; hybrid ones (cgroup
    /// v1 controllers beside it) mount it at /sys/fs/cgroup/unified, which ``mountPoint()`` finds.
    static let defaultRoot = "/sys/fs/cgroup"
    /// Directories walked at most per rebuild: a runaway hierarchy cannot stall a collection.
    static let maximumDirectories = 65_536

    /// The initial cgroup namespace's inode number (the kernel's PROC_CGROUP_INIT_INO).
    static let initialNamespaceInode: UInt64 = 0xEFFF_FFFB

    let root: String
    /// Whether every cgroup of the machine is below ``root``. Not inside a cgroup namespace (a
    /// container's), whose mount shows only the namespace's subtree, nor when ``root`` is a bind
    /// mount of a subtree: then an id the walk cannot find may be a live cgroup outside the view
    /// (the host's root cgroup, where kernel threads run), not a removed one.
    let seesWholeHierarchy: Bool
    private var paths: [UInt64: String] = [:]
    private var unresolved: Set<UInt64> = []

    /// Creates a directory over the hierarchy mounted at `root`; nothing is read until asked.
    /// - Parameter seesWholeHierarchy: found from this process's cgroup namespace and mounts when `nil`.
    init(root: String, seesWholeHierarchy: Bool? = nil) {
        self.root = root
        self.seesWholeHierarchy = seesWholeHierarchy ?? Self.showsWholeHierarchy(at: root)
    }

    /// Whether the cgroup2 mount at `root` shows the machine's whole hierarchy: this process is in
    /// the initial cgroup namespace and the mount's own root is the hierarchy's (mountinfo's
    /// fourth field, relative to the namespace, is `/`).
    static func showsWholeHierarchy(at root: String) -> Bool {
        var info = stat()
        if stat("/proc/self/ns/cgroup", &info) == 0, UInt64(info.st_ino) != initialNamespaceInode { return false }
        return cgroup2Mounts().first { $0.mountPoint == root }.map { $0.root == "/" } ?? true
    }

    /// The mount point of the cgroup v2 hierarchy, read from /proc/self/mountinfo; ``defaultRoot``
    /// if none is listed.
    static func mountPoint() -> String {
        cgroup2Mounts().first?.mountPoint ?? defaultRoot
    }

    /// Every cgroup2 mount of /proc/self/mountinfo: where it is mounted, and which directory of the
    /// hierarchy (relative to this process's cgroup namespace) it shows.
    private static func cgroup2Mounts() -> [(root: String, mountPoint: String)] {
        guard case .success(let mountinfo) = ProcFile.contents(of: "/proc/self/mountinfo") else { return [] }
        // "36 35 98:0 / /mnt/point rw,relatime shared:1 - cgroup2 cgroup2 rw": the file system type
        // follows the " - " separator, the root is the fourth field, the mount point the fifth.
        return mountinfo.split(separator: "\n").compactMap { line in
            let halves = line.split(separator: " - ", maxSplits: 1)
            guard halves.count == 2, halves[1].split(separator: " ").first == "cgroup2" else { return nil }
            let fields = halves[0].split(separator: " ")
            return fields.count >= 5 ? (String(fields[3]), String(fields[4])) : nil
        }
    }

    /// The path of cgroup `id` below the root (`/` for the root itself), or `nil` if no such
    /// cgroup exists below it now: it was removed or, unless ``seesWholeHierarchy``, it is outside
    /// this view.
    mutating func path(of id: UInt64) -> String? {
        if let path = paths[id] { return path }
        if unresolved.contains(id) { return nil }
        rebuild()
        if paths[id] == nil { unresolved.insert(id) }
        return paths[id]
    }

    /// Walks the hierarchy again; directories that vanish during the walk are skipped.
    mutating func rebuild() {
        var found: [UInt64: String] = [:]
        var pending = ["/"]
        var rootInfo = stat()
        guard stat(root, &rootInfo) == 0 else {
            paths = [:]
            return
        }
        while let relative = pending.popLast(), found.count < Self.maximumDirectories {
            let absolute = relative == "/" ? root : root + relative
            var info = stat()
            // Inode numbers are cgroup ids only on the cgroup2 file system itself: stay on it.
            guard stat(absolute, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_dev == rootInfo.st_dev else {
                continue
            }
            found[UInt64(info.st_ino)] = relative
            guard let directory = opendir(absolute) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                guard entry.pointee.d_type == DT_DIR else { continue }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                pending.append(relative == "/" ? "/" + name : relative + "/" + name)
            }
        }
        paths = found
        unresolved = []
    }
}
