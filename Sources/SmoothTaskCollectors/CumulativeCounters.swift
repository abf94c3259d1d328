#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A kernel-side per-process value that only grows while its map entry lives, such as bytes moved.
protocol CumulativeCounters {
    /// What was added since `earlier`, a reading of the same entry. A field smaller than before
    /// means the entry was evicted and recreated meanwhile, so all of it is new.
    func subtracting(_ earlier: Self) -> Self
}

extension CumulativeCounters {
    /// True when both readings hold the same counts. Compared byte for byte: the values are the
    /// kernel's C structs (all fixed-width counters, no padding), which have no `==` of their own.
    func hasSameCounts(as other: Self) -> Bool {
        // memcmp rather than a byte-by-byte Sequence comparison: 300-byte histograms of 10,000 processes a tick.
        withUnsafeBytes(of: self) { mine in
            withUnsafeBytes(of: other) { theirs in
                mine.count == theirs.count && (mine.isEmpty || memcmp(mine.baseAddress!, theirs.baseAddress!, mine.count) == 0)
            }
        }
    }
}

extension UInt64 {
    /// `self - earlier`, or `self` when `earlier` is larger: the counter restarted from zero.
    func sinceRestartable(_ earlier: UInt64) -> UInt64 { self >= earlier ? self - earlier : self }
}
