import Crypto
import Foundation

/// SHA-256 of stored bytes, lower-case hex: how events, receipts and the scan index name exact
/// content (``DataLocation/contentHash``).
public enum ContentHash {
    /// The hash of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    /// The hash of a file, read in 1 MiB blocks.
    public static func ofFile(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LedgerError("\(path): cannot read")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return Hex.encode(hasher.finalize())
    }

    /// The hash of raw bytes.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> String { Hex.encode(SHA256.hash(data: bytes)) }
}
