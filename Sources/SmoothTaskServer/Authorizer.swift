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
        guard method.isPrivileged else { return }
        switch membership(of: caller) {
        case .administrator:
            return
        case .noGroup:
            throw RPCError(
                .permissionDenied,
                "\(method.rawValue) is allowed only for root and members of group '\(adminGroup)', "
                    + "which does not exist on this system; an administrator can create it with "
                    + "`groupadd --system \(adminGroup)` and add users to it"
            )
        case .outsider(let userName):
            throw RPCError(
                .permissionDenied,
                "\(method.rawValue) is allowed only for root and members of group '\(adminGroup)'; "
                    + "an administrator can grant it with `usermod -aG \(adminGroup) \(userName ?? "USER")`"
            )
        }
    }

    /// True for root and members of the admin group: the callers privileged methods and the
    /// server's reserved connection slots are for.
    public func isAdministrator(_ caller: PeerCredentials) -> Bool {
        if case .administrator = membership(of: caller) { return true }
        return false
    }

    private enum Membership {
        case administrator
        case noGroup
        case outsider(userName: String?)
    }

    private func membership(of caller: PeerCredentials) -> Membership {
        guard caller.uid != 0 else { return .administrator }
        guard let group = AccountDatabase.lookupGroup(named: adminGroup) else { return .noGroup }
        if caller.gid == group.gid { return .administrator }
        let userName = AccountDatabase.lookupUserName(uid: caller.uid)
        if let userName, group.members.contains(userName) { return .administrator }
        return .outsider(userName: userName)
    }
}
