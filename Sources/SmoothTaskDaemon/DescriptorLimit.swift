#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// The process's open-file limit, which bounds how many clients can connect at once.
enum DescriptorLimit {
    /// Raises the soft `RLIMIT_NOFILE` to the hard limit, so the connection cap, not the common
    /// 1,024-descriptor default, decides how many clients are served; logs the result.
    static func raiseToHardLimit(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(openFiles, &limit) == 0 else {
            logger.warning("Open-file limit unreadable", metadata: ["errno": "\(errno)"])
            return
        }
        let before = limit.rlim_cur
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            guard setrlimit(openFiles, &limit) == 0 else {
                logger.warning("Open-file limit not raised", metadata: ["soft": "\(before)", "errno": "\(errno)"])
                return
            }
        }
        logger.info("Open-file limit", metadata: ["soft.before": "\(before)", "soft": "\(limit.rlim_cur)", "hard": "\(limit.rlim_max)"])
    }

    /// `RLIMIT_NOFILE`, typed as each libc's `getrlimit` wants it.
    #if canImport(Glibc)
    private static let openFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let openFiles = RLIMIT_NOFILE
    #endif
}
