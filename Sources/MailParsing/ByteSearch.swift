#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Fast searches over raw buffers (libc `memchr` and `memcmp`).
enum ByteSearch {
    /// Index of the first `byte` in `buffer[from..<to]`, or nil.
    @inline(__always)
    static func first(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = buffer.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Index of the first occurrence of `needle` in `buffer[from..<to]`, or nil.
    ///
    /// `memchr` finds candidates for the first byte, `memcmp` checks the rest (glibc's `memmem`
    /// is a GNU extension the Swift Glibc module does not export). Needles here are short.
    static func first(
        _ needle: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int
    ) -> Int? {
        guard needle.count > 0, needle.count <= to - from, let base = buffer.baseAddress,
            let nbase = needle.baseAddress
        else { return nil }
        let lead = needle[0]
        let lastStart = to - needle.count
        var position = from
        while position <= lastStart {
            guard let hit = first(lead, in: buffer, from: position, to: lastStart + 1) else { return nil }
            if needle.count == 1 || memcmp(base + hit + 1, nbase + 1, needle.count - 1) == 0 { return hit }
            position = hit + 1
        }
        return nil
    }
}
