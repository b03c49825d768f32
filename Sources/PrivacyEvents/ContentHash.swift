import Crypto

/// SHA-256 of stored bytes, lower-case hex: how events, receipts and the scan index name exact
/// content (``DataLocation/contentHash``).
public enum ContentHash {
    /// The hash of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    /// The hash of raw bytes.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> String { Hex.encode(SHA256.hash(data: bytes)) }
}
