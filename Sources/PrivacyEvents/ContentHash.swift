import Crypto
import FileSystem
import Foundation

/// SHA-256 of stored bytes, lower-case hex: how events, receipts and the scan index name exact
/// content (``DataLocation/contentHash``).
public enum ContentHash {
    /// The hash of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    /// The hash of an open file's content, read from its start in 1 MiB blocks.
    public static func of(_ file: OpenFile) throws(PrivctlError) -> String {
        var hasher = SHA256()
        var offset = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try buffer.withUnsafeMutableBytes { raw in Result { () throws(PrivctlError) in try file.read(at: offset, into: raw) } }.get()
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += n
        }
        return Hex.encode(hasher.finalize())
    }

    /// The hash of raw bytes.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> String { Hex.encode(SHA256.hash(data: bytes)) }
}
