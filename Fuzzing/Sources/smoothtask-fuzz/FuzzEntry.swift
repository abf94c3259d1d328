/// One harness for the whole run: its input budget and configuration live across inputs, as the
/// daemon's do across connections.
private let harness = FuzzHarness()

/// libFuzzer's entry point: one input is everything one client connection sends.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    harness.connect(sending: Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
