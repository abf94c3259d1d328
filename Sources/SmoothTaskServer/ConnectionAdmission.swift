import Synchronization

/// Decides at accept whether a connection is served, counting connections in total and per user.
///
/// Three rules, in order: a user other than root and the admin group holds at most
/// ``ServerLimits/maxConnectionsPerUser``; everyone shares ``ServerLimits/maxConnections`` minus the
/// ``ServerLimits/reservedPrivilegedConnections``; root and the admin group may also take the
/// reserved slots. So a flood from ordinary users can fill the shared slots but never the reserve.
final class ConnectionAdmission: Sendable {
    /// Why a connection was refused; the message is sent to the client as `-32003`.
    enum Refusal: Equatable, Sendable {
        case serverFull(limit: Int)
        case userFull(uid: UInt32, limit: Int)

        var message: String {
            switch self {
            case .serverFull(let limit):
                "smoothtaskd is serving its maximum of \(limit) connections; retry later"
            case .userFull(let uid, let limit):
                "uid \(uid) already holds \(limit) connections to smoothtaskd, the most one user may; "
                    + "close some and retry"
            }
        }
    }

    private struct Counts {
        var total = 0
        var perUser: [UInt32: Int] = [:]
    }

    let limits: ServerLimits
    private let counts = Mutex(Counts())

    init(limits: ServerLimits) {
        self.limits = limits
    }

    /// Takes a slot for `uid` or says why not. `isPrivileged` is asked only when the answer depends
    /// on it (the user is at its cap, or only reserved slots are left), so an ordinary accept never
    /// reads the group database.
    func admit(uid: UInt32, isPrivileged: () -> Bool) -> Refusal? {
        let shared = limits.maxConnections - limits.reservedPrivilegedConnections
        let (refusal, needsPrivilege) = counts.withLock { counts -> (Refusal?, Bool) in
            let held = counts.perUser[uid, default: 0]
            if held < limits.maxConnectionsPerUser && counts.total < shared {
                counts.total += 1
                counts.perUser[uid] = held + 1
                return (nil, false)
            }
            if counts.total >= limits.maxConnections { return (.serverFull(limit: limits.maxConnections), false) }
            let refusal: Refusal = held >= limits.maxConnectionsPerUser
                ? .userFull(uid: uid, limit: limits.maxConnectionsPerUser)
                : .serverFull(limit: limits.maxConnections)
            return (refusal, true)
        }
        guard needsPrivilege, uid == 0 || isPrivileged() else { return refusal }
        return counts.withLock { counts in
            guard counts.total < limits.maxConnections else { return .serverFull(limit: limits.maxConnections) }
            counts.total += 1
            counts.perUser[uid, default: 0] += 1
            return nil
        }
    }

    /// Gives back the slot ``admit(uid:isPrivileged:)`` gave `uid`.
    func release(uid: UInt32) {
        counts.withLock { counts in
            counts.total -= 1
            let held = counts.perUser[uid, default: 1] - 1
            counts.perUser[uid] = held > 0 ? held : nil
        }
    }

    /// Connections open now, in total.
    var open: Int { counts.withLock { $0.total } }
}
