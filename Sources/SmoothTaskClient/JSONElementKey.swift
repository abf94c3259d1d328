/// The coding key of an array element (its index) or of `super`, for the paths in ``JSONValueDecoder``'s errors.
///
/// Only the index is stored, so the key fits an existential's inline buffer: a path node holding
/// it (``JSONCodingPath``) needs no second allocation for the key.
struct JSONElementKey: CodingKey {
    /// The index, or `nil` for ``superKey``.
    let intValue: Int?

    var stringValue: String {
        guard let intValue else { return "super" }
        return "Index \(intValue)"
    }

    init(index: Int) {
        intValue = index
    }

    /// Only `super`: other names are never element keys.
    init?(stringValue: String) {
        guard stringValue == "super" else { return nil }
        intValue = nil
    }

    init?(intValue: Int) {
        self.init(index: intValue)
    }

    /// The key of ``JSONValueKeyedContainer/superDecoder()``.
    static let superKey = JSONElementKey(stringValue: "super")!
}
