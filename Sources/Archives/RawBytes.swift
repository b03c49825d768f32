import FileSystem

/// The uncompressed bytes of an archive as a stream that is taken from the front, for copying
/// members byte for byte (``ArchiveRewrite``): what a gzip archive inflated (kept by a
/// ``RawTee`` while libarchive reads them), or a plain archive's file read again.
public enum RawBytes {
    case inflated(RawTee)
    case file(OpenFile, size: Int)
}

/// Inflated bytes kept from the first not yet taken until taken: memory stays bounded by how far
/// libarchive reads ahead of what it has used.
public final class RawTee {
    private var bytes: [UInt8] = []
    /// Index in `bytes` of the first byte not yet taken.
    private var start = 0
    /// Stream offset of that byte.
    public private(set) var position = 0

    /// The stream offset just past the last byte kept.
    public var end: Int { position + bytes.count - start }

    func append(_ piece: UnsafeRawBufferPointer) {
        if start > 1 << 20, start * 2 > bytes.count {
            bytes.removeFirst(start)
            start = 0
        }
        bytes.append(contentsOf: piece)
    }

    /// Hands the bytes from ``position`` up to `offset` to `body` (nothing when `offset` is not
    /// past it) and forgets them.
    func take(upTo offset: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let count = min(offset, end) - position
        guard count > 0 else { return }
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + count)])) }
        start += count
        position += count
    }

    /// Up to `count` bytes from ``position``, not taken.
    func peek(_ count: Int) -> [UInt8] {
        Array(bytes[start..<min(bytes.count, start + count)])
    }
}
