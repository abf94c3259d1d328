/// The coding key of an array element (its index) or of `super`, for the paths in ``JSONValueDecoder``'s errors.
struct JSONElementKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init?(intValue: Int) {
        self.init(index: intValue)
    }

    /// The key of ``JSONValueKeyedContainer/superDecoder()``.
    static let superKey = JSONElementKey(stringValue: "super")!
}
