import Foundation
import SmoothTaskProtocol
import SmoothTaskServer
import XCTest

/// The privileged-method gate: unit checks against this machine's account database, and a real
/// unprivileged peer over the socket.
final class AuthorizationTests: XCTestCase {
    private let nobody = PeerCredentials(pid: 4242, uid: 65534, gid: 65534)

    private func refusal(_ authorizer: Authorizer, _ caller: PeerCredentials) -> RPCError? {
        do {
            try authorizer.authorize(.configSet, caller: caller)
            XCTFail("allowed \(caller)")
            return nil
        } catch {
            return error
        }
    }

    func testReadOnlyMethodsAreOpenToEveryone() throws {
        let authorizer = Authorizer(adminGroup: "smoothtask-no-such-group")
        for method in Method.allCases where !method.isPrivileged {
            try authorizer.authorize(method, caller: nobody)
        }
        XCTAssertEqual(Method.allCases.filter(\.isPrivileged), [.configSet])
    }

    func testRootMayCallPrivilegedMethodsEvenWithoutTheGroup() throws {
        try Authorizer(adminGroup: "smoothtask-no-such-group")
            .authorize(.configSet, caller: PeerCredentials(pid: 1, uid: 0, gid: 0))
    }

    func testMissingGroupRefusesAndSaysHowToCreateIt() throws {
        let error = try XCTUnwrap(refusal(Authorizer(adminGroup: "smoothtask-no-such-group"), nobody))
        XCTAssertEqual(error.code, -32001)
        XCTAssertEqual(error.data?.name, "PermissionDenied")
        XCTAssertTrue(error.message.contains("group 'smoothtask-no-such-group'"), error.message)
        XCTAssertTrue(error.message.contains("groupadd"), error.message)
    }

    func testNonMemberIsRefusedWithTheGroupThatGrantsIt() throws {
        // nobody is not in group root (gid 0) on any sane system.
        let error = try XCTUnwrap(refusal(Authorizer(adminGroup: "root"), nobody))
        XCTAssertEqual(error.code, -32001)
        XCTAssertEqual(
            error.message,
            "config.set is allowed only for root and members of group 'root'; "
                + "an administrator can grant it with `usermod -aG root nobody`"
        )
    }

    func testPrimaryGroupGrantsAccess() throws {
        guard let group = getgrnam("nogroup") else { throw XCTSkip("no group nogroup here") }
        let caller = PeerCredentials(pid: 4242, uid: 65534, gid: group.pointee.gr_gid)
        try Authorizer(adminGroup: "nogroup").authorize(.configSet, caller: caller)
    }

    func testListedMemberIsAllowedWhateverTheirPrimaryGroup() throws {
        // Find a group of this machine that lists an existing user as a member.
        setgrent()
        defer { endgrent() }
        while let entry = getgrent() {
            guard let members = entry.pointee.gr_mem, let first = members.pointee else { continue }
            let groupName = String(cString: entry.pointee.gr_name)
            let userName = String(cString: first)
            guard let user = getpwnam(userName), user.pointee.pw_uid != 0 else { continue }
            let caller = PeerCredentials(pid: 4242, uid: user.pointee.pw_uid, gid: 4_000_000)
            try Authorizer(adminGroup: groupName).authorize(.configSet, caller: caller)
            return
        }
        throw XCTSkip("no group in the account database lists a non-root member")
    }

    func testUnprivilegedPeerIsRefusedAndTheHandlerNotCalled() async throws {
        let harness = try ServerHarness()
        let path = harness.socketPath
        let (replies, pid) = try await harness.serve { _ in
            try await UnprivilegedClient.run(socketPath: path, requests: [
                #"{"jsonrpc":"2.0","id":1,"method":"config.set","params":{"enable_cpu_metrics":false}}"#,
                #"{"jsonrpc":"2.0","id":2,"method":"status"}"#,
            ])
        }
        XCTAssertEqual(replies.count, 2)
        guard replies.count == 2 else { return }
        let denied = try JSONDecoder().decode(RawConnection.Reply.self, from: Data(replies[0].utf8))
        XCTAssertEqual(denied.id, .integer(1))
        XCTAssertEqual(denied.error?.code, -32001)
        XCTAssertEqual(denied.error?.data?.name, "PermissionDenied")
        XCTAssertTrue(denied.error?.message.contains("group 'smoothtask'") ?? false, denied.error?.message ?? "")

        // Reading is open to everyone, and the server saw who it was.
        let status = try JSONDecoder().decode(RawConnection.Reply.self, from: Data(replies[1].utf8))
        XCTAssertEqual(status.result?.objectValue?["caller_uid"], .integer(65534))
        XCTAssertEqual(status.result?.objectValue?["caller_gid"], .integer(65534))

        let calls = await harness.handler.calls
        XCTAssertEqual(calls.map(\.method), [.status], "config.set must not reach the handler")
        let config = await harness.handler.config
        XCTAssertEqual(config, .defaults)

        let refused = harness.logs.records.filter { $0.message == "Privileged call refused" }
        XCTAssertEqual(refused.count, 1)
        XCTAssertEqual(refused.first?.metadata["peer.uid"], "65534")
        XCTAssertEqual(refused.first?.metadata["peer.pid"], "\(pid)")
        XCTAssertEqual(refused.first?.metadata["rpc.method"], "config.set")
    }

    func testUnprivilegedPeerInTheAdminGroupIsAccepted() async throws {
        let harness = try ServerHarness(authorizer: Authorizer(adminGroup: "nogroup"))
        let path = harness.socketPath
        let (replies, _) = try await harness.serve { _ in
            try await UnprivilegedClient.run(socketPath: path, requests: [
                #"{"jsonrpc":"2.0","id":1,"method":"config.set","params":{"collection_interval_ms":250}}"#,
            ])
        }
        guard let first = replies.first else { return XCTFail("no reply") }
        let reply = try JSONDecoder().decode(RawConnection.Reply.self, from: Data(first.utf8))
        XCTAssertNil(reply.error)
        XCTAssertEqual(reply.result?.objectValue?["collection_interval_ms"], .integer(250))
        let config = await harness.handler.config
        XCTAssertEqual(config.collectionIntervalMilliseconds, 250)
        XCTAssertEqual(harness.logs.records.filter { $0.message == "Privileged call accepted" }.count, 1)
    }
}
