#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON settings both ends use, so equal values are equal bytes on the wire.
public enum RPCCoding {
    /// Sorted keys and unescaped slashes: stable, readable frames.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
