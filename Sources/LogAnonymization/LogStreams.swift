import Archives

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a log file is stored.
public enum LogCompression: String, Sendable {
    case none
    case gzip

    /// Reads the first bytes of a file: gzip by its magic number; xz, bzip2 and zstd are named so
    /// the error can say so.
    static func detect(fd: Int32, path: String) throws(LogError) -> LogCompression {
        var magic = [UInt8](repeating: 0, count: 6)
        let n = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 6, 0) }
        guard n >= 0 else { throw LogError(path: path, problem: "cannot read: \(String(cString: strerror(errno)))") }
        if n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B { return .gzip }
        if n >= 6 && magic == [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] {
            throw LogError(path: path, problem: "is compressed with xz; privctl reads plain and gzip logs (unxz it first)")
        }
        if n >= 3 && magic[0] == 0x42 && magic[1] == 0x5A && magic[2] == 0x68 {
            throw LogError(path: path, problem: "is compressed with bzip2; privctl reads plain and gzip logs (bunzip2 it first)")
        }
        if n >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD {
            throw LogError(path: path, problem: "is compressed with zstd; privctl reads plain and gzip logs (unzstd it first)")
        }
        return .none
    }
}

/// A log's bytes, read from a file descriptor with `pread` (so one descriptor can be read twice)
/// and decompressed when it is gzip.
final class LogByteSource {
    private let fd: Int32
    private let path: String
    private var offset: Int
    private let inflater: GzipStream?
    private var chunk: [UInt8]
    /// Bytes of the file read so far (compressed bytes for gzip).
    private(set) var bytesRead = 0

    init(fd: Int32, compression: LogCompression, path: String) throws(LogError) {
        self.fd = fd
        self.path = path
        self.offset = 0
        do {
            inflater = compression == .gzip ? try GzipStream(.decompress) : nil
        } catch {
            throw LogError(path: path, problem: "\(error)")
        }
        // Small reads for gzip: 16 KiB make about 160 KiB of log text, and at most 16 MiB of zeros.
        chunk = [UInt8](repeating: 0, count: compression == .gzip ? 1 << 14 : 1 << 20)
    }

    /// Appends the next decoded bytes to `buffer`; false at the end of the file.
    func read(into buffer: inout [UInt8]) throws(LogError) -> Bool {
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(offset)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LogError(path: path, problem: "cannot read: \(String(cString: strerror(errno)))")
            }
            offset += n
            bytesRead += n
            guard let inflater else {
                if n == 0 { return false }
                buffer.append(contentsOf: chunk[0..<n])
                return true
            }
            do {
                if n == 0 {
                    guard inflater.atMemberEnd else {
                        throw LogError(path: path, problem: "the gzip data ends early (truncated); the file was left as it is")
                    }
                    return false
                }
                let before = buffer.count
                try inflater.process(Array(chunk[0..<n])) { buffer.append(contentsOf: $0) }
                if buffer.count > before { return true }
            } catch let error as LogError {
                throw error
            } catch {
                throw LogError(path: path, problem: "is not readable gzip (\(error)); the file was left as it is")
            }
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
    func next() throws(LogError) -> LinePiece? {
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

/// Where anonymized bytes go: a file descriptor, through gzip when asked, in 1 MiB writes.
final class LogByteSink {
    private let fd: Int32
    private let path: String
    private let deflater: GzipStream?
    /// Bytes waiting to be written; callers append to it and then call ``flushIfFull()``.
    var buffer: [UInt8] = []

    init(fd: Int32, compression: LogCompression, path: String) throws(LogError) {
        self.fd = fd
        self.path = path
        do {
            deflater = compression == .gzip ? try GzipStream(.compress(level: 6)) : nil
        } catch {
            throw LogError(path: path, problem: "\(error)")
        }
        buffer.reserveCapacity(1 << 21)
    }

    func flushIfFull() throws(LogError) {
        if buffer.count >= 1 << 20 { try flush(final: false) }
    }

    /// Writes what is buffered and, for gzip, the end of the stream.
    func finish() throws(LogError) { try flush(final: true) }

    private func flush(final: Bool) throws(LogError) {
        if let deflater {
            do {
                var failure: LogError? = nil
                try deflater.process(buffer, final: final) { compressed in
                    if failure == nil {
                        do throws(LogError) { try self.writeAll(compressed) } catch { failure = error }
                    }
                }
                if let failure { throw failure }
            } catch let error as LogError {
                throw error
            } catch {
                throw LogError(path: path, problem: "cannot compress: \(error)")
            }
        } else {
            try writeAll(buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(LogError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LogError(path: path, problem: "cannot write: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
