import SmoothTaskModel

extension CgroupsTopParams {
    /// The rows to return: ``limit``, or the default when absent, refused with `-32602` naming
    /// `limit` outside 1...``maximumLimit``.
    public func validatedLimit() throws(RPCError) -> Int {
        let limit = limit ?? Self.defaultLimit
        guard (1...Self.maximumLimit).contains(limit) else {
            throw RPCError(.invalidParams, "limit must be 1...\(Self.maximumLimit) (got \(limit))", parameter: "limit")
        }
        return limit
    }
}
