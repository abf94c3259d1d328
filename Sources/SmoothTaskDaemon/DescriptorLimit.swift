#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// The process's open-file limit, which bounds how many clients can connect at once.
enum DescriptorLimit {
    /// Raises the soft `RLIMIT_NOFILE` to the hard limit, so the connection cap, not the common
    /// 1,024-descriptor default, decides how many clients are served; logs the result and returns
    /// the limit in force (`nil` if unreadable).
    @discardableResult
    static func raiseToHardLimit(logger: Logger) -> Int? {
        var limit = rlimit()
        guard getrlimit(openFiles, &limit) == 0 else {
            logger.warning("Open-file limit unreadable", metadata: ["errno": "\(errno)"])
            return nil
        }
        let before = limit.rlim_cur
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            guard setrlimit(openFiles, &limit) == 0 else {
                logger.warning("Open-file limit not raised", metadata: ["soft": "\(before)", "errno": "\(errno)"])
                return Int(clamping: before)
            }
        }
        logger.info("Open-file limit", metadata: ["soft.before": "\(before)", "soft": "\(limit.rlim_cur)", "hard": "\(limit.rlim_max)"])
        return Int(clamping: limit.rlim_cur)
    }

    /// `RLIMIT_NOFILE`, typed as each libc's `getrlimit` wants it.
    #if canImport(Glibc)
    private static let openFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let openFiles = RLIMIT_NOFILE
    #endif
}
