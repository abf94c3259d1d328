/// The first byte of each value in the history's compact encoding (``CompactEncoder``): what follows
/// and how long it is, so ``CompactTranscoder`` reads a blob without knowing the type that wrote it.
enum CompactTag: UInt8 {
    case null = 0
    case `false` = 1
    case `true` = 2
    /// An unsigned LEB128 varint.
    case unsigned = 3
    /// A negative integer `v`, as the varint of `-(v + 1)`.
    case negative = 4
    /// A double, its eight bytes little-endian.
    case double = 5
    /// A whole, non-negative double below 2^53, as a varint: counters and sizes the model keeps as `Double`.
    case wholeDouble = 6
    /// A varint byte count, then UTF-8.
    case string = 7
    /// An object: entries (a key reference, then a value) until the key reference 0.
    case keyed = 8
    /// An array: values until ``endOfArray``.
    case unkeyed = 9
    case endOfArray = 10

    /// The blob's first byte: the version of this encoding (a blob that starts otherwise is refused).
    static let formatVersion: UInt8 = 1
}
