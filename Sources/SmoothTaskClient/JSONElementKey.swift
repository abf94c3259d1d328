/// The coding key of an array element (its index) or of a member named by the text (`super`, and
/// the members of a ``SmoothTaskProtocol/JSONValue`` object), for the paths in ``JSONValueDecoder``'s errors.
///
/// An enum of an `Int` or a `String` fits an existential's inline buffer, so a path node holding it
/// (``JSONCodingPath``) needs no second allocation for the key.
enum JSONElementKey: CodingKey {
    case index(Int)
    case member(String)

    var stringValue: String {
        switch self {
        case .index(let index): "Index \(index)"
        case .member(let name): name
        }
    }

    var intValue: Int? {
        guard case .index(let index) = self else { return nil }
        return index
    }

    init(index: Int) {
        self = .index(index)
    }

    init(stringValue: String) {
        self = .member(stringValue)
    }

    init(intValue: Int) {
        self = .index(intValue)
    }

    /// The key of ``JSONValueKeyedContainer/superDecoder()``.
    static let superKey = JSONElementKey.member("super")
}
