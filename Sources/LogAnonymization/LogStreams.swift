import Archives
import FileSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// How a log file is stored.
public enum LogCompression: String, Sendable {
    case none
    case gzip

    /// Reads the first bytes of a file: gzip by its magic number; xz, bzip2 and zstd are named so
    /// the error can say so.
    static func detect(_ file: OpenFile) throws(PrivctlError) -> LogCompression {
        var magic = [UInt8](repeating: 0, count: 6)
        let n = try magic.withUnsafeMutableBytes { raw in
            Result { () throws(PrivctlError) in try file.read(at: 0, into: raw) }
        }.get()
        if n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B { return .gzip }
        if n >= 6 && magic == [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] {
            throw PrivctlError(.unsupported, path: file.path, problem: "is compressed with xz; privctl reads plain and gzip logs (unxz it first)")
        }
        if n >= 3 && magic[0] == 0x42 && magic[1] == 0x5A && magic[2] == 0x68 {
            throw PrivctlError(.unsupported, path: file.path, problem: "is compressed with bzip2; privctl reads plain and gzip logs (bunzip2 it first)")
        }
        if n >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD {
            throw PrivctlError(.unsupported, path: file.path, problem: "is compressed with zstd; privctl reads plain and gzip logs (unzstd it first)")
        }
        return .none
    }
}

/// A log's bytes, read from an open file by position (so one file can be read twice) and
/// decompressed when it is gzip.
final class LogByteSource {
    private let file: OpenFile
    private let path: String
    private var offset: Int
    private let inflater: GzipStream?
    private var chunk: [UInt8]
    /// Bytes of the file read so far (compressed bytes for gzip).
    private(set) var bytesRead = 0

    init(file: OpenFile, compression: LogCompression, path: String) throws(PrivctlError) {
        self.file = file
        self.path = path
        self.offset = 0
        inflater = compression == .gzip ? try GzipStream(.decompress) : nil
        // Small reads for gzip: 16 KiB make about 160 KiB of log text, and at most 16 MiB of zeros.
        chunk = [UInt8](repeating: 0, count: compression == .gzip ? 1 << 14 : 1 << 20)
    }

    /// Appends the next decoded bytes to `buffer`; false at the end of the file.
    func read(into buffer: inout [UInt8]) throws(PrivctlError) -> Bool {
        while true {
            let n = try chunk.withUnsafeMutableBytes { raw in
                Result { () throws(PrivctlError) in try file.read(at: offset, into: raw) }
            }.get()
            offset += n
            bytesRead += n
            guard let inflater else {
                if n == 0 { return false }
                buffer.append(contentsOf: chunk[0..<n])
                return true
            }
            if n == 0 {
                guard inflater.atMemberEnd else {
                    throw PrivctlError(.corrupt, path: path, problem: "the gzip data ends early (truncated); the file was left as it is")
                }
                return false
            }
            let before = buffer.count
            do {
                try inflater.process(Array(chunk[0..<n])) { buffer.append(contentsOf: $0) }
            } catch {
                let reason = (error as? PrivctlError)?.problem ?? "\(error)"
                throw PrivctlError(.corrupt, path: path, problem: "is not readable gzip (\(reason)); the file was left as it is")
            }
            if buffer.count > before { return true }
        }
    }
}

/// One piece of a line as ``LineReader`` hands it out.
struct LinePiece {
    /// The bytes in ``LineReader/buffer``, without the line feed.
    var range: Range<Int>
    /// Whether a line feed followed.
    var newline: Bool
    /// Whether this piece ends a line (a line feed, or the end of the file).
    var endsLine: Bool
    /// Whether the line is longer than the limit: its pieces are copied as they are.
    var long: Bool
    /// Whether this is the first piece of its line.
    var startsLine: Bool
}

/// Splits a byte source into lines, with bounded memory.
///
/// A line longer than `limit` bytes comes in pieces of exactly `limit` bytes and a last piece,
/// so the same bytes always give the same pieces, however the file was read or compressed: two
/// readers of equal content can be compared piece by piece.
final class LineReader {
    private let source: LogByteSource
    private let limit: Int
    private(set) var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    private var inLongLine = false

    init(source: LogByteSource, limit: Int) {
        self.source = source
        self.limit = limit
        buffer.reserveCapacity(limit + (1 << 21))
    }

    /// The next piece; valid until the next call.
    func next() throws(PrivctlError) -> LinePiece? {
        while true {
            let available = buffer.count - start
            let window = min(available, limit + 1)
            if scanned < window {
                let found = buffer.withUnsafeBufferPointer { b -> Int? in
                    guard let hit = memchr(b.baseAddress! + start + scanned, 0x0A, window - scanned) else { return nil }
                    return b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                }
                if let newline = found {
                    let piece = LinePiece(range: start..<newline, newline: true, endsLine: true, long: inLongLine, startsLine: !inLongLine)
                    start = newline + 1
                    scanned = 0
                    inLongLine = false
                    return piece
                }
                scanned = window
            }
            if available > limit {
                // No line feed within limit + 1 bytes: a long line; hand out `limit` bytes.
                let piece = LinePiece(range: start..<(start + limit), newline: false, endsLine: false, long: true, startsLine: !inLongLine)
                start += limit
                scanned = 0
                inLongLine = true
                return piece
            }
            if atEnd {
                guard available > 0 else { return nil }
                let piece = LinePiece(range: start..<buffer.count, newline: false, endsLine: true, long: inLongLine, startsLine: !inLongLine)
                start = buffer.count
                inLongLine = false
                return piece
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            atEnd = try !source.read(into: &buffer)
        }
    }
}

/// Where anonymized bytes go: a file (or standard output when there is none), through gzip when
/// asked, in 1 MiB writes.
final class LogByteSink {
    private let file: OpenFile?
    private let path: String
    private let deflater: GzipStream?
    /// Bytes waiting to be written; callers append to it and then call ``flushIfFull()``.
    var buffer: [UInt8] = []

    /// A sink writing to `file`, or to standard output when it is nil.
    init(file: OpenFile?, compression: LogCompression, path: String) throws(PrivctlError) {
        self.file = file
        self.path = path
        deflater = compression == .gzip ? try GzipStream(.compress(level: 6)) : nil
        buffer.reserveCapacity(1 << 21)
    }

    func flushIfFull() throws(PrivctlError) {
        if buffer.count >= 1 << 20 { try flush(final: false) }
    }

    /// Writes what is buffered and, for gzip, the end of the stream.
    func finish() throws(PrivctlError) { try flush(final: true) }

    private func flush(final: Bool) throws(PrivctlError) {
        if let deflater {
            var failure: PrivctlError? = nil
            do {
                try deflater.process(buffer, final: final) { compressed in
                    if failure == nil {
                        do throws(PrivctlError) { try self.writeAll(compressed) } catch { failure = error }
                    }
                }
            } catch {
                throw PrivctlError(.failed, path: path, problem: "cannot compress: \(error)")
            }
            if let failure { throw failure }
        } else {
            try writeAll(buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(PrivctlError) {
        guard !bytes.isEmpty else { return }
        if let file {
            try file.write(bytes)
            return
        }
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(bytes))
        } catch {
            throw PrivctlError(.failed, path: path, problem: "cannot write: \(error.localizedDescription)")
        }
    }
}
