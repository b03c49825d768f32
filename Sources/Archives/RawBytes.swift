import FileSystem

/// The uncompressed bytes of an archive as a stream that is taken from the front, for copying
/// members byte for byte (``ArchiveRewrite``): what a gzip archive inflated (kept by a
/// ``RawTee`` while libarchive reads them), or a plain archive's file read again.
public enum RawBytes {
    case inflated(RawTee)
    case file(OpenFile, size: Int)
}

/// Inflated bytes kept from the first not yet taken until taken: memory stays bounded by how far
/// libarchive reads ahead of what it has used. Runs of zeros (a tar's end blocks and record
/// padding, however long; the space between concatenated archives) are kept as their length.
public final class RawTee {
    /// What is kept, in order: bytes, or a number of zero bytes.
    private enum Segment {
        case bytes([UInt8])
        case zeros(Int)

        var count: Int {
            switch self {
            case .bytes(let bytes): bytes.count
            case .zeros(let count): count
            }
        }
    }

    /// Where a gzip member of the archive file ends in the inflated stream, and the member's
    /// compressed bytes as they were read (nil when it is longer than
    /// ``TarStreamCopy/holdLimit``).
    struct MemberEnd {
        var uncompressed: Int
        var compressed: [UInt8]?
    }

    private var segments: [Segment] = []
    /// The ends of gzip members not yet taken past, in order.
    private var memberEnds: [MemberEnd] = []
    private var firstMemberEnd = 0
    /// Where in the first segment the first byte not yet taken is.
    private var offsetInFirst = 0
    /// Stream offset of that byte.
    public private(set) var position = 0
    /// Bytes kept.
    private var kept = 0

    /// The stream offset just past the last byte kept.
    public var end: Int { position + kept }

    func append(_ piece: UnsafeRawBufferPointer) {
        guard !piece.isEmpty else { return }
        kept += piece.count
        if piece.allSatisfy({ $0 == 0 }) {
            if case .zeros(let count) = segments.last {
                segments[segments.count - 1] = .zeros(count + piece.count)
            } else {
                segments.append(.zeros(piece.count))
            }
        } else {
            segments.append(.bytes(Array(piece)))
        }
    }

    /// Notes that a gzip member ended where the bytes appended so far end.
    func memberEnded(_ end: MemberEnd) {
        if firstMemberEnd > 64 && firstMemberEnd * 2 > memberEnds.count {
            memberEnds.removeFirst(firstMemberEnd)
            firstMemberEnd = 0
        }
        memberEnds.append(end)
    }

    /// The end of the gzip member that holds ``position`` (or ends there), when it is known.
    var nextMemberEnd: MemberEnd? { firstMemberEnd < memberEnds.count ? memberEnds[firstMemberEnd] : nil }

    /// Forgets ``nextMemberEnd``: the member is taken.
    func dropMemberEnd() { firstMemberEnd += 1 }

    /// Hands the bytes from ``position`` up to `offset` to `body` (nothing when `offset` is not
    /// past it) and forgets them.
    func take(upTo offset: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var count = min(offset, end) - position
        while count > 0, let first = segments.first {
            let n = min(count, first.count - offsetInFirst)
            switch first {
            case .bytes(let bytes):
                try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[offsetInFirst..<(offsetInFirst + n)])) }
            case .zeros:
                var left = n
                while left > 0 {
                    let piece = min(left, zeroBlock.count)
                    try body(UnsafeRawBufferPointer(rebasing: zeroBlock[0..<piece]))
                    left -= piece
                }
            }
            offsetInFirst += n
            if offsetInFirst == first.count {
                segments.removeFirst()
                offsetInFirst = 0
            }
            count -= n
            position += n
            kept -= n
        }
    }

    /// Up to `count` bytes from ``position``, not taken.
    func peek(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var skip = offsetInFirst
        for segment in segments where out.count < count {
            let n = min(count - out.count, segment.count - skip)
            switch segment {
            case .bytes(let bytes): out += bytes[skip..<(skip + n)]
            case .zeros: out += repeatElement(0, count: n)
            }
            skip = 0
        }
        return out
    }
}

/// 64 KiB of zeros that holes of sparse members and runs of zeros are handed out from: one
/// shared block, never written to or freed.
nonisolated(unsafe) let zeroBlock: UnsafeRawBufferPointer = {
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    block.initializeMemory(as: UInt8.self, repeating: 0)
    return UnsafeRawBufferPointer(block)
}()
