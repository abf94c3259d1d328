/// The coding path of a nested value, as a list linked from the value to the top of the JSON text,
/// for ``JSONValueDecoder``.
///
/// `Decoder` and its containers hand out `codingPath` as an array, but only error messages read it:
/// appending to an array for every nested value cost an allocation and a copy of the whole path
/// each time, so the path is kept as one node per nesting level (shared by everything below it) and
/// made into an array only when asked for.
final class JSONCodingPath {
    let parent: JSONCodingPath?
    let key: any CodingKey
    /// The number of keys from the top to ``key``, included.
    let depth: Int

    init(parent: JSONCodingPath?, key: any CodingKey) {
        self.parent = parent
        self.key = key
        depth = (parent?.depth ?? 0) + 1
    }

    /// The keys of `path`, from the top of the text down, then `last` if given.
    static func keys(_ path: JSONCodingPath?, appending last: (any CodingKey)? = nil) -> [any CodingKey] {
        let count = (path?.depth ?? 0) + (last == nil ? 0 : 1)
        guard count > 0 else { return [] }
        var keys = [any CodingKey](repeating: JSONElementKey.superKey, count: count)
        var index = count - 1
        if let last {
            keys[index] = last
            index -= 1
        }
        var node = path
        while let current = node {
            keys[index] = current.key
            index -= 1
            node = current.parent
        }
        return keys
    }
}
