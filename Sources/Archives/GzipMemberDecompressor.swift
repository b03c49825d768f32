import CDeflate

/// Inflates one whole gzip member through libdeflate, when the member and what it inflates to
/// both fit the buffers given: the fast way for the members of 256 KiB that privctl writes
/// (``ParallelGzipSink``). libdeflate checks the member's CRC-32 and length as zlib does, and
/// needs no streaming state; what does not fit (a `gzip` or `tar -z` archive is one long member)
/// is left to zlib (``GzipStream``), which also has the last word on data libdeflate rejects.
final class GzipMemberDecompressor: @unchecked Sendable {
    private let decompressor: OpaquePointer

    /// nil when libdeflate cannot allocate one.
    init?() {
        guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
        self.decompressor = decompressor
    }

    deinit { libdeflate_free_decompressor(decompressor) }

    /// Inflates the member `input` starts with into `output`: how many bytes the member took of
    /// `input` and how many it inflated to; nil when it is not whole in `input`, inflates to more
    /// than `output` holds, has a header CRC (which libdeflate would not check), or libdeflate
    /// finds it bad.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> (consumed: Int, produced: Int)? {
        // libdeflate skips a header CRC (FHCRC) without checking it; zlib checks it.
        guard let base = input.baseAddress, input.count > 3, input[3] & 0x02 == 0 else { return nil }
        var consumed = 0
        var produced = 0
        let result = libdeflate_gzip_decompress_ex(
            decompressor, base, input.count, output.baseAddress, output.count, &consumed, &produced)
        return result == LIBDEFLATE_SUCCESS ? (consumed, produced) : nil
    }
}
