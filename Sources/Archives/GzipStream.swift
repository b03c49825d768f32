import FileSystem
import CZlib

/// Gzip compression and decompression through zlib, streamed.
///
/// This is the only type that holds zlib stream state. Decompression reads every member of a
/// multi-member gzip (what `pigz` and parallel compressors write) as one stream, as `gzip -d` does.
public final class GzipStream {
    /// Which way the stream works.
    public enum Direction: Sendable { case compress(level: Int32), decompress }

    private var stream = z_stream()
    private let direction: Direction
    /// Whether decompression stopped exactly at the end of a gzip member (not mid-stream).
    public private(set) var atMemberEnd = false
    /// ``decompress(_:into:)`` met the end of a member: the next input starts another.
    private var memberEnded = false
    /// A failure found after output that ``decompress(_:into:)`` returned first.
    private var deferredFailure: PrivctlError?

    public init(_ direction: Direction) throws(PrivctlError) {
        self.direction = direction
        let status: Int32
        switch direction {
        case .compress(let level):
            // windowBits 15 + 16: a gzip wrapper, not zlib's.
            status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        case .decompress:
            status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        }
        guard status == Z_OK else { throw PrivctlError(.failed, path: "zlib", problem: "cannot initialise zlib (status \(status))") }
    }

    deinit {
        switch direction {
        case .compress: deflateEnd(&stream)
        case .decompress: inflateEnd(&stream)
        }
    }

    /// Feeds `input`; output goes to `body`. Call with `final: true` once at the end.
    public func process(_ input: [UInt8], final: Bool = false, _ body: ([UInt8]) throws -> Void) throws {
        var output = [UInt8](repeating: 0, count: 1 << 16)
        try input.withUnsafeBufferPointer { inBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                var status: Int32 = Z_OK
                let produced: Int = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    switch direction {
                    case .compress: status = deflate(&stream, final ? Z_FINISH : Z_NO_FLUSH)
                    case .decompress: status = inflate(&stream, Z_NO_FLUSH)
                    }
                    return outBuffer.count - Int(stream.avail_out)
                }
                if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR {
                    throw PrivctlError(.corrupt, path: "gzip", problem: Self.message(stream, status))
                }
                if produced > 0 { try body(Array(output[0..<produced])) }
                let outputFull = stream.avail_out == 0
                switch direction {
                case .compress:
                    if final ? status == Z_STREAM_END : (stream.avail_in == 0 && !outputFull) { return }
                case .decompress:
                    atMemberEnd = status == Z_STREAM_END
                    if status == Z_STREAM_END {
                        // A multi-member gzip: the next member follows.
                        if stream.avail_in == 0 { return }
                        inflateReset(&stream)
                    } else if stream.avail_in == 0 && !outputFull {
                        return
                    }
                }
            }
        }
    }

    /// Decompresses from `input` into `output` until the input is used up, the output is full
    /// or a gzip member ends, and says how many bytes it consumed and produced and whether a
    /// member ended with the last byte consumed: for a reader that hands on bounded pieces (at
    /// most `output.count` bytes, however well the input compresses) and wants to know where
    /// members end. zlib checks each member's CRC-32 and length at its end; the next call reads
    /// a following member on as the same stream.
    ///
    /// - Throws: ``PrivctlError/Code/corrupt`` when the data is not gzip or fails its check
    ///   (after the bytes decompressed before the failure were returned).
    public func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(PrivctlError) -> (consumed: Int, produced: Int, endedMember: Bool) {
        if let failure = deferredFailure {
            deferredFailure = nil
            throw failure
        }
        var consumed = 0
        var produced = 0
        while consumed < input.count && produced < output.count {
            if memberEnded {
                // Another member follows the one that ended.
                inflateReset(&stream)
                memberEnded = false
            }
            stream.next_in = UnsafeMutablePointer(mutating: (input.baseAddress! + consumed).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(input.count - consumed)
            stream.next_out = (output.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(output.count - produced)
            let status = inflate(&stream, Z_NO_FLUSH)
            let used = input.count - consumed - Int(stream.avail_in)
            let made = output.count - produced - Int(stream.avail_out)
            consumed += used
            produced += made
            switch status {
            case Z_STREAM_END:
                atMemberEnd = true
                memberEnded = true
                return (consumed, produced, true)
            case Z_OK, Z_BUF_ERROR:
                if used > 0 { atMemberEnd = false }
                if used == 0 && made == 0 { return (consumed, produced, false) }
            default:
                let failure = PrivctlError(.corrupt, path: "gzip", problem: Self.message(stream, status))
                // What was decompressed before the failure is handed out first; the next call throws.
                guard produced > 0 else { throw failure }
                deferredFailure = failure
                return (consumed, produced, false)
            }
        }
        return (consumed, produced, false)
    }

    /// Compresses bytes into one gzip member.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        let stream = try GzipStream(.compress(level: level))
        var out: [UInt8] = []
        try stream.process(bytes, final: true) { out += $0 }
        return out
    }

    /// Decompresses a whole gzip (all members).
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        let stream = try GzipStream(.decompress)
        var out: [UInt8] = []
        try stream.process(bytes, final: true) { out += $0 }
        guard stream.atMemberEnd else { throw PrivctlError(.corrupt, path: "gzip", problem: "the gzip data ends early (truncated)") }
        return out
    }

    /// CRC-32 as gzip uses it.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, UInt32($0.count)) })
    }

    private static func message(_ stream: z_stream, _ status: Int32) -> String {
        stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
    }
}
