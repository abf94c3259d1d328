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
        withUnsafeBytes(of: self) { mine in withUnsafeBytes(of: other) { theirs in mine.elementsEqual(theirs) } }
    }
}

extension UInt64 {
    /// `self - earlier`, or `self` when `earlier` is larger: the counter restarted from zero.
    func sinceRestartable(_ earlier: UInt64) -> UInt64 { self >= earlier ? self - earlier : self }
}
