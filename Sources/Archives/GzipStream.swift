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
