import NIOCore
import NIOEmbedded
import NIOTestUtils
import SmoothTaskProtocol
import XCTest

final class FrameDecoderTests: XCTestCase {
    /// A frame: 4-byte big-endian length, then the payload.
    private func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + payload
    }

    private func frame(_ text: String) -> [UInt8] { frame(Array(text.utf8)) }

    private func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
        return channel
    }

    private func readPayloads(_ channel: EmbeddedChannel) throws -> [String] {
        var payloads: [String] = []
        while let payload = try channel.readInbound(as: ByteBuffer.self) {
            payloads.append(String(buffer: payload))
        }
        return payloads
    }

    func testVerifierSplitsInputEveryWay() throws {
        let payloads = [#"{"jsonrpc":"2.0","id":1,"method":"status"}"#, "", "x", String(repeating: "y", count: 300)]
        let pairs = payloads.map { payload in
            (ByteBuffer(bytes: frame(payload)), [ByteBuffer(string: payload)])
        }
        // Several frames in one input, decoded in order.
        let joined = (ByteBuffer(bytes: payloads.flatMap { frame($0) }), payloads.map { ByteBuffer(string: $0) })
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs + [joined]) { FrameDecoder() }
    }

    func testFrameSplitAcrossReadsIsReassembled() throws {
        let channel = try makeChannel()
        for byte in frame("hello") {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        XCTAssertEqual(try readPayloads(channel), ["hello"])
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testHeaderAloneProducesNothingUntilPayloadArrives() throws {
        let channel = try makeChannel()
        let bytes = frame("abcdef")
        try channel.writeInbound(ByteBuffer(bytes: bytes[0..<6]))
        XCTAssertEqual(try readPayloads(channel), [])
        try channel.writeInbound(ByteBuffer(bytes: bytes[6...]))
        XCTAssertEqual(try readPayloads(channel), ["abcdef"])
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testSeveralFramesInOneRead() throws {
        let channel = try makeChannel()
        try channel.writeInbound(ByteBuffer(bytes: frame("one") + frame("two") + frame("three")))
        XCTAssertEqual(try readPayloads(channel), ["one", "two", "three"])
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testZeroLengthFrameIsAnEmptyPayload() throws {
        let channel = try makeChannel()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 0] + frame("after")))
        XCTAssertEqual(try readPayloads(channel), ["", "after"])
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testFrameOfExactlyTheLimitIsAccepted() throws {
        let channel = try makeChannel()
        let payload = [UInt8](repeating: 0x61, count: ProtocolConstants.maxPayloadBytes)
        try channel.writeInbound(ByteBuffer(bytes: frame(payload)))
        let decoded = try XCTUnwrap(try channel.readInbound(as: ByteBuffer.self))
        XCTAssertEqual(decoded.readableBytes, ProtocolConstants.maxPayloadBytes)
        XCTAssertTrue(try channel.finish().isClean)
    }

    func testOversizedHeaderIsRefusedBeforeThePayloadArrives() throws {
        let channel = try makeChannel()
        // A 4 GiB claim: only the header is sent, and the decoder refuses at once.
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF]))) { error in
            XCTAssertEqual(error as? FrameError, .oversized(declaredBytes: 4_294_967_295))
        }
        XCTAssertNil(try channel.readInbound(as: ByteBuffer.self))
        _ = try? channel.finish()
    }

    func testOneByteOverTheLimitIsRefused() throws {
        let channel = try makeChannel()
        let length = UInt32(ProtocolConstants.maxPayloadBytes + 1)
        var header = ByteBuffer()
        header.writeInteger(length, endianness: .big)
        XCTAssertThrowsError(try channel.writeInbound(header)) { error in
            XCTAssertEqual(error as? FrameError, .oversized(declaredBytes: ProtocolConstants.maxPayloadBytes + 1))
        }
        _ = try? channel.finish()
    }

    func testFramesBeforeAnOversizedOneAreStillDelivered() throws {
        let channel = try makeChannel()
        XCTAssertThrowsError(try channel.writeInbound(ByteBuffer(bytes: frame("first") + [0x7F, 0xFF, 0xFF, 0xFF])))
        XCTAssertEqual(try readPayloads(channel), ["first"])
        _ = try? channel.finish()
    }

    func testHalfFrameAtEndOfInputIsNotDelivered() throws {
        let channel = try makeChannel()
        try channel.writeInbound(ByteBuffer(bytes: frame("complete") + Array(frame("cut off").prefix(6))))
        XCTAssertEqual(try readPayloads(channel), ["complete"])
        // The peer hung up mid-frame: the remainder is dropped, never delivered as a payload.
        _ = try channel.finish()
        XCTAssertEqual(try readPayloads(channel), [])
    }
}
