extension Decoder {
    /// Throws naming the first key of this JSON object that is not in `known`, so a typo in a
    /// param is an error rather than a silent no-op. The message ends with `listing: k1, k2, ...`.
    func rejectUnknownKeys(_ known: [String], listing: String) throws {
        let keys = try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        guard let first = keys.first(where: { !known.contains($0) }) else { return }
        throw DecodingError.dataCorrupted(.init(
            codingPath: [AnyCodingKey(stringValue: first)],
            debugDescription: "unknown key '\(first)'; \(listing): \(known.joined(separator: ", "))"
        ))
    }
}
