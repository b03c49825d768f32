import CDeflate

/// Compresses a whole buffer into one gzip member through libdeflate: the only type that writes
/// with libdeflate.
///
/// libdeflate compresses a buffer it sees whole (no streaming state), which is exactly what
/// ``ParallelGzipSink`` hands it: measured here on 1 MiB chunks of backup tars (2 cores), level 4
/// compresses 1.5-4 times as fast as zlib at level 6, within 2 % of its size on text-heavy mail
/// and smaller on mail with attachments (`Benchmarks/RESULTS.md`).
///
/// The member is standard gzip (RFC 1952) that zlib, `gzip -t`, GNU tar and bsdtar read. Its
/// header carries one extra field (FEXTRA, which readers skip): subfield `PZ`, 4 bytes, the
/// member's whole length in bytes, little-endian, as BGZF's `BC` field does for its blocks. A
/// reader (``GzipSource``) can so find the next member without inflating this one, and inflate
/// members side by side; it trusts the length only when the member inflates with its checks
/// passing in exactly that many bytes.
public final class GzipMemberCompressor {
    /// The level privctl writes gzip at.
    public static let defaultLevel: Int32 = 4
    /// The header's length: 10 bytes, XLEN, and the `PZ` subfield.
    static let headerLength = 10 + 2 + 8

    private let compressor: OpaquePointer

    /// A compressor for `level` (1-12); nil when libdeflate cannot allocate one.
    public init?(level: Int32 = GzipMemberCompressor.defaultLevel) {
        guard let compressor = libdeflate_alloc_compressor(level) else { return nil }
        self.compressor = compressor
    }

    deinit { libdeflate_free_compressor(compressor) }

    /// `bytes` as one gzip member; nil only when libdeflate fails (it does not for a buffer
    /// given room for its bound).
    public func compress(_ bytes: [UInt8]) -> [UInt8]? {
        let header = Self.headerLength
        let bound = header + libdeflate_deflate_compress_bound(compressor, bytes.count) + 8
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            let deflated = bytes.withUnsafeBytes { input in
                libdeflate_deflate_compress(compressor, input.baseAddress, input.count, buffer.baseAddress! + header, bound - header - 8)
            }
            guard deflated > 0 else {
                failed = true
                initialized = 0
                return
            }
            let total = header + deflated + 8
            let crc = bytes.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) }
            // ID1 ID2 CM FLG(FEXTRA) MTIME(0) XFL OS(Unix) XLEN(8) 'P' 'Z' LEN(4) member length
            let fields: [UInt8] = [0x1F, 0x8B, 8, 0x04, 0, 0, 0, 0, 0, 3, 8, 0, UInt8(ascii: "P"), UInt8(ascii: "Z"), 4, 0]
            for (i, byte) in fields.enumerated() { buffer[i] = byte }
            Self.storeLittleEndian(UInt32(total), in: buffer, at: 16)
            Self.storeLittleEndian(crc, in: buffer, at: header + deflated)
            Self.storeLittleEndian(UInt32(truncatingIfNeeded: bytes.count), in: buffer, at: header + deflated + 4)
            initialized = total
        }
        return failed ? nil : out
    }

    /// The length a member's `PZ` field gives, when `bytes` start with a gzip header that has one.
    static func statedLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 12, bytes[0] == 0x1F, bytes[1] == 0x8B, bytes[2] == 8, bytes[3] & 0x04 != 0 else { return nil }
        let extraLength = Int(bytes[10]) | Int(bytes[11]) << 8
        guard bytes.count >= 12 + extraLength else { return nil }
        var offset = 12
        while offset + 4 <= 12 + extraLength {
            let length = Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8
            if bytes[offset] == UInt8(ascii: "P"), bytes[offset + 1] == UInt8(ascii: "Z"), length == 4, offset + 8 <= 12 + extraLength {
                return (0..<4).reduce(0) { $0 | Int(bytes[offset + 4 + $1]) << (8 * $1) }
            }
            offset += 4 + length
        }
        return nil
    }

    private static func storeLittleEndian(_ value: UInt32, in buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for i in 0..<4 { buffer[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
}
