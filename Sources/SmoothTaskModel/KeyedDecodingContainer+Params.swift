extension KeyedDecodingContainer {
    /// The named choice at `key` (`default` when absent); an unknown name is refused with the list
    /// of known ones, as the `sort` of every process query is.
    func decodeChoice<Choice: RawRepresentable & CaseIterable>(
        _: Choice.Type, forKey key: Key, default fallback: Choice
    ) throws -> Choice where Choice.RawValue == String {
        guard let name = try decodeIfPresent(String.self, forKey: key) else { return fallback }
        guard let choice = Choice(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "\(key.stringValue) must be one of \(Choice.allCases.map(\.rawValue).joined(separator: ", ")) (got \(name))"
            )
        }
        return choice
    }

    /// A row limit at `key` (`default` when absent), refused outside 1...`maximum`.
    func decodeLimit(forKey key: Key, default fallback: Int, maximum: Int) throws -> Int {
        let limit = try decodeIfPresent(Int.self, forKey: key) ?? fallback
        guard (1...maximum).contains(limit) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\(key.stringValue) must be 1...\(maximum) (got \(limit))"
            )
        }
        return limit
    }
}
