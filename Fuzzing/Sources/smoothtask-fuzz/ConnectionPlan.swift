import SmoothTaskServer

/// How one input is played as a connection, derived from the input's own bytes so that a saved
/// crash replays exactly: who the caller is, and where the stream is cut into separate reads.
///
/// Deriving both from a hash keeps every corpus file a plain byte stream, exactly what a client
/// would write to the socket, rather than one with a control prefix.
struct ConnectionPlan {
    /// At most this many cuts: enough to split a header, a payload and the gap between frames.
    static let maxCuts = 3

    /// Root (may call `config.set`) for about half the inputs, `nobody` for the rest.
    let caller: PeerCredentials
    /// Offsets where one read ends and the next begins, ascending, each in `0...input.count`.
    let cuts: [Int]

    init(_ input: [UInt8]) {
        // FNV-1a, 64 bit: cheap, and one flipped byte moves every derived choice.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in input { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        caller = hash & 1 == 0 ? FuzzHarness.root : FuzzHarness.nobody
        let count = Int((hash >> 1) % UInt64(Self.maxCuts + 1))
        cuts = (0..<count).map { index in
            Int((hash >> (8 + 16 * UInt64(index))) & 0xFFFF) % (input.count + 1)
        }.sorted()
    }

    /// `input` cut into the reads the plan describes; some may be empty.
    func reads(of input: [UInt8]) -> [ArraySlice<UInt8>] {
        var reads: [ArraySlice<UInt8>] = []
        var start = 0
        for cut in cuts + [input.count] {
            reads.append(input[start..<cut])
            start = cut
        }
        return reads
    }
}
