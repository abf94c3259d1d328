/// One value or member name of a JSON text, as ``JSONReader`` found it while validating the text: what
/// ``JSONDocument`` keeps instead of a tree, so that decoding reads only the values a type asks for.
///
/// Entries are in text order: an array's elements follow it, an object's members follow it as a
/// name entry then a value entry each. ``next`` skips a whole array or object, so finding a member
/// steps over its siblings without looking inside them.
struct JSONTapeEntry {
    /// The JSON type of the value (`true` and `false` apart, so a Bool needs no second look at the text).
    enum Kind: UInt8 {
        case null, `false`, `true`, number, string, array, object
    }

    /// Strings: a backslash escape occurs between the quotes, so the text must be unescaped.
    static let escaped: UInt8 = 1
    /// Strings: a byte at or above 0x80 occurs between the quotes, so names compare as Strings
    /// (canonical equivalence, as `JSONDecoder`'s dictionary does), not byte by byte.
    static let nonASCII: UInt8 = 2
    /// Numbers: a fraction or an exponent occurs, so the text is not an integer's.
    static let fractionOrExponent: UInt8 = 1

    let kind: Kind
    /// ``escaped`` and ``nonASCII`` for strings, ``fractionOrExponent`` for numbers.
    let flags: UInt8
    /// The byte offset of the value's first byte; for strings, of the first byte after the opening quote.
    let start: Int
    /// The byte offset after the value's last byte; for strings, of the closing quote.
    var end: Int
    /// The tape index after this entry and everything inside it: the next sibling, if any.
    var next: Int
    /// Arrays: the number of elements; objects: the number of members; others 0.
    var count: Int
}
