import SmoothTaskProtocol

/// The one gate in front of privileged methods (``Method/isPrivileged``).
///
/// Root (uid 0) may call everything. Anyone else may call a privileged method only as a member of
/// the admin group: the peer's primary gid is the group's gid, or the peer's user name is listed in
/// the group's members. The group is looked up again at every privileged call, so adding or
/// removing a member applies without restarting the daemon. Read-only methods are open to every
/// local user.
public struct Authorizer: Sendable {
    /// The group whose members may call privileged methods, e.g. `smoothtask`.
    public let adminGroup: String

    /// Creates the gate for `adminGroup`.
    public init(adminGroup: String = ProtocolConstants.defaultAdminGroup) {
        self.adminGroup = adminGroup
    }

    /// Returns if `caller` may call `method`, otherwise throws `-32001` saying which group grants it.
    public func authorize(_ method: Method, caller: PeerCredentials) throws(RPCError) {
        guard method.isPrivileged, caller.uid != 0 else { return }
        guard let group = AccountDatabase.lookupGroup(named: adminGroup) else {
            throw RPCError(
                .permissionDenied,
                "\(method.rawValue) is allowed only for root and members of group '\(adminGroup)', "
                    + "which does not exist on this system; an administrator can create it with "
                    + "`groupadd --system \(adminGroup)` and add users to it"
            )
        }
        if caller.gid == group.gid { return }
        let userName = AccountDatabase.lookupUserName(uid: caller.uid)
        if let userName, group.members.contains(userName) { return }
        throw RPCError(
            .permissionDenied,
            "\(method.rawValue) is allowed only for root and members of group '\(adminGroup)'; "
                + "an administrator can grant it with `usermod -aG \(adminGroup) \(userName ?? "USER")`"
        )
    }
}
